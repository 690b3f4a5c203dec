"""Reports sent as documents: the 自评表 table(s) and the narrative of a Word or PDF 自评报告.

Each reader turns a document into `DocumentContent` — its tables as `SheetGrid`s named 表格1,
表格2 … (cells named 第R行第C列) and its body paragraphs named 第N段 — so the importer reads the
table like a sheet and `narrative` files the paragraphs under the report's sections.
"""
