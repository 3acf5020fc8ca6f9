"""Migration scripts, applied in order by ``tandem init``."""
