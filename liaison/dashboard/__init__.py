"""The dashboard's sections that read the domain apps (the report/dashboard layer, DESIGN.md): the
monthly trends with their inline SVG charts, and the missed reception days. Each section is loaded
after the page by its own fragment URL (liaison/views/general.py), so the page itself stays within
its query budget."""
