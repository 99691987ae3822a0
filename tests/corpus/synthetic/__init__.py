"""Small classes, one module per theme, each written the way real libraries write them.

Each module reproduces one shape that a generated protocol must mirror so that the class is still accepted
where its protocol is expected (see tests/corpus/targets.py for what each one exercises).
"""
