"""CEL for the rules: the runtime that compiles and evaluates them (runtime.py, with cpp.py for
cel-expr-python and rust.py for common-expression-language), and a parser and type checker of
our own (syntax.py, types.py) for the runtime that has neither a syntax tree nor a checker."""
