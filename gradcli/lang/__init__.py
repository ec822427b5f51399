"""The language: the grammar's parser, the AST and the interpreter with its namespace."""
