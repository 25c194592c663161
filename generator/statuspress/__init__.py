"""statuspress: a docs-as-code status page and incident knowledge base."""

__version__ = "0.1.0"
