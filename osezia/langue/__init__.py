"""French language understanding, pure Python (no Django): words, stems, typo tolerance,
synonyms and the reviewed lexicon (data/lexique.json). Used by the diagnostic, the
catalogue, the Académie, the search index and the consultation."""
