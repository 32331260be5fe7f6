"""The knowledge base engine (AST-1, AST-2): article text preparation, the file loader, retrieval
and the answer backends. Models live in `support.models.knowledge`."""
