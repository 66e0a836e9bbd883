"""Casebook: a static case-study site generator for service-marketing training (服务营销案例库).

Data flows one way: YAML files → validated model → indexes → Markdown pages → MkDocs site.
"""

__version__ = "0.1.0"
