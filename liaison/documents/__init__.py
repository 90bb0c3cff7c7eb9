"""Files the app hands out: the renderer contract, A4 PDFs with the shipped CJK font, streamed xlsx."""
