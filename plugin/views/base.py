"""What every Tandem admin view shares: permissions, scoping, choice fields, words for people."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from flask import g, redirect, url_for
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, SelectField
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired

from ..duplicates import refuse_duplicate, save_problem
from ..roles import METHOD_PERMISSIONS, resource_permissions
from .formatting import humane


class TandemModelView(ModelView):
    """A ModelView whose permissions are the shared ``can_read``/``can_write`` pair.

    Subclasses set ``class_permission_name`` to their resource (see
    :mod:`tandem.plugin.roles`, which also decides its permissions),
    ``base_filters`` from :func:`tandem.plugin.scoping.scoped`, and
    ``include_route_methods`` when their pages are read-only.

    Every column shown gets :func:`~tandem.plugin.views.formatting.humane` as its
    formatter unless the view sets its own, so no page shows ``None``, a Python
    list or a raw timestamp. A save that would break a unique constraint is
    refused with a sentence (``duplicate_sentences`` per field set, else a
    generic one naming the fields), never with the database's error.
    """

    method_permission_name = METHOD_PERMISSIONS
    page_size = 50
    related_page_size = 20  # rows of each related list under a show or edit page (paged; the full list is a link away)
    duplicate_sentences: ClassVar[dict[str, str]] = {}
    # What a save did, in words (``{item}`` is the row as people read it); see :meth:`saved`.
    saved_sentences: ClassVar[dict[str, str]] = {
        "add": "Added {noun} {item}.",
        "edit": "Saved the changes to {item}.",
        "delete": "Deleted {item}.",
    }

    def __init__(self, **kwargs: Any) -> None:
        self.base_permissions = resource_permissions(self.class_permission_name)
        super().__init__(**kwargs)
        self.formatters_columns = dict(self.formatters_columns)
        for column in [*self.list_columns, *self.show_columns]:
            self.formatters_columns.setdefault(column, humane)
        for column in self.search_columns:  # a column default such as "now" is no search value
            field = getattr(self.search_form, column, None)
            if isinstance(field, UnboundField):
                field.kwargs["default"] = None

    def _get_related_views_widgets(
        self, item: Any, orders: Any = None, pages: Any = None, page_sizes: Any = None, widgets: Any = None, **args: Any
    ) -> Any:
        sizes = {view.__class__.__name__: self.related_page_size for view in self._related_views}
        sizes.update({name: size for name, size in (page_sizes or {}).items() if size})
        return super()._get_related_views_widgets(
            item, orders=orders, pages=pages, page_sizes=sizes, widgets=widgets, **args
        )

    def label_of(self, field: str) -> str:
        """The label people see for ``field``."""
        return str(self.label_columns.get(field) or field.replace("_", " ").capitalize())

    def pre_add(self, item: Any) -> None:
        """Refuse a duplicate or otherwise unsavable row with a sentence (FAB flashes it)."""
        self._check_saves(item)

    # ---- what a save did, and where the work continues (instead of "Added Row" and the home page) ----

    def saved(self, action: str, item: Any) -> None:
        """Remember the sentence FAB flashes after ``action`` (add, edit, delete) of ``item``, and the row."""
        noun = self.datamodel.obj.__name__.lower() if hasattr(self.datamodel, "obj") else "row"
        g.tandem_saved = self.saved_sentences[action].format(item=item, noun=noun)
        g.tandem_saved_pk = getattr(item, "id", None)

    def post_add(self, item: Any) -> None:
        """Say what was added."""
        self.saved("add", item)

    def post_update(self, item: Any) -> None:
        """Say what was changed."""
        self.saved("edit", item)

    def pre_delete(self, item: Any) -> None:
        """Say what is deleted (the sentence is made before the row is gone)."""
        self.saved("delete", item)

    @property
    def add_row_message(self) -> str:  # type: ignore[override]
        """FAB's flash after an add: what was added."""
        return g.get("tandem_saved", "Saved.")

    @property
    def edit_row_message(self) -> str:  # type: ignore[override]
        """FAB's flash after an edit: what was changed."""
        return g.get("tandem_saved", "Saved.")

    @property
    def delete_row_message(self) -> str:  # type: ignore[override]
        """FAB's flash after a delete: what was deleted."""
        return g.get("tandem_saved", "Deleted.")

    def post_add_redirect(self) -> Any:
        """After adding, show the new row (where its work continues), not the home page."""
        return self._to_saved_row()

    def post_edit_redirect(self) -> Any:
        """After editing, show the row."""
        return self._to_saved_row()

    def post_delete_redirect(self) -> Any:
        """After deleting, back to the list."""
        return redirect(url_for(f"{self.endpoint}.list"))

    def _to_saved_row(self) -> Any:
        pk = g.get("tandem_saved_pk")
        if pk is not None and "show" in self.include_route_methods_or_all():
            return redirect(url_for(f"{self.endpoint}.show", pk=pk))
        return redirect(url_for(f"{self.endpoint}.list"))

    def include_route_methods_or_all(self) -> set[str]:
        """The route methods this view exposes (every one when it does not restrict them)."""
        return set(self.include_route_methods or {"show", "list"})

    def pre_update(self, item: Any) -> None:
        """Refuse a duplicate or otherwise unsavable change with a sentence (FAB flashes it)."""
        self._check_saves(item)

    def _check_saves(self, item: Any) -> None:
        session = self.datamodel.session
        try:
            refuse_duplicate(session, item, self.label_of, self.duplicate_sentences)
            session.add(item)
            session.flush()
        except IntegrityError as error:
            session.rollback()
            raise ValueError(save_problem(error, self.label_of)) from None
        except ValueError:
            session.rollback()
            raise


class RowInterface(SQLAInterface):
    """FAB's data interface, plus columns computed from the whole row (``computed={"fit": explain_pairing}``).

    A computed column is listed, shown and formatted like any other; it cannot be searched or ordered by.
    """

    def __init__(self, obj: Any, computed: Mapping[str, Callable[[Any], Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(obj, **kwargs)
        self.computed = dict(computed or {})

    def _get_attr_value(self, item: Any, col: str) -> Any:  # type: ignore[override]
        if col in self.computed:
            return self.computed[col](item)
        return SQLAInterface._get_attr_value(item, col)

    def apply_inner_select_joins(
        self, query: Any, select_columns: list[str] | None = None, aliases_mapping: Any = None
    ) -> Any:
        """FAB's column selection, keeping the keys of the related rows listed (else each row would load
        them one by one); a computed column reads the whole row, so then only dotted columns are narrowed."""
        columns = list(select_columns or [])
        if any(column in self.computed for column in columns):
            columns = [column for column in columns if "." in column]
        query = super().apply_inner_select_joins(query, columns, aliases_mapping)
        for column in columns:
            if "." not in column and self.is_relation_many_to_one(column):
                query = self._apply_relation_fks_select_options(query, column)
        return query

    def apply_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        """FAB's query for a page, with every related row it shows (``person``, ``programme``) loaded for the
        whole page in one query per relation instead of one per row (FAB's related lists pass no columns)."""
        query = super().apply_all(query, *args, **kwargs)
        select_columns = kwargs.get("select_columns") or (args[5] if len(args) > 5 else None)
        dotted = {column.split(".", 1)[0] for column in select_columns or [] if "." in column}
        names = [c for c in select_columns if "." not in c] if select_columns else list(self.list_properties)
        for name in names:
            if name not in dotted and name not in self.computed and self.is_relation_many_to_one(name):
                query = query.options(selectinload(getattr(self.obj, name)))
        return query

    def get_related_obj(self, col_name: str, value: Any) -> Any:
        """The related row ``value`` of column ``col_name``."""
        return self.session.get(self.get_related_model(col_name), value)


READ_ONLY = {"list", "show"}


def choice_field(label: str, values: Iterable[str]) -> SelectField:
    """A required select box offering exactly the values a check constraint allows."""
    return SelectField(
        label,
        choices=[SelectChoice(value, value.replace("_", " ")) for value in values],
        validators=[InputRequired()],
    )
