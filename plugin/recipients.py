"""Who the roles of a ``notify`` step are: ``manager`` (the subject's line manager) and ``hr``.

Registered with the engine by :mod:`tandem.plugin.engine_extensions`; the
engine itself knows neither the directory's reporting lines nor FAB's users
and roles.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Person, WorkflowInstance
from .roles import HR_ROLE


def line_manager(session: Session, instance: WorkflowInstance) -> list[int]:
    """The run's subject's line manager, if the directory names one."""
    manager_id = session.scalar(select(Person.manager_id).where(Person.id == instance.subject_id))
    return [manager_id] if manager_id else []


def hr_people(session: Session, instance: WorkflowInstance) -> list[int]:
    """Every person whose sign-in has the HR role, in id order."""
    from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role

    hr_users = (
        select(User.id)
        .join(assoc_user_role, assoc_user_role.c.user_id == User.id)
        .join(Role, Role.id == assoc_user_role.c.role_id)
        .where(Role.name == HR_ROLE)
    )
    return list(session.scalars(select(Person.id).where(Person.user_id.in_(hr_users)).order_by(Person.id)))
