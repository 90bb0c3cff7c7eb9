"""The report layer (issue 14): /reports/, the 组织部's annual workbook and the exports that read from
every domain app. DESIGN.md lets this layer, and only this one, import members, visits, feedback and
commitments from liaison; the imports stay inside the functions that need them."""
