"""The checking side: where input becomes trusted data.

    reading      every data file is read here: OS, size and decoding errors become Problems
    schema       Table Schemas and the strict typed CSV reader
    structure    keys, catalogue ids, rules.toml and source.json: sound before any join runs
    references   ids, units and sections that exist
    provenance   every figure's words and sentence stand in the source, in its section
    plausibility each value inside the range its unit (or its indicator) allows
    coverage     every number of the source is a captured figure or a known non-figure
    rules        declarative consistency rules: findings about the report
    validation   all of the above, in that order, for one year
"""
