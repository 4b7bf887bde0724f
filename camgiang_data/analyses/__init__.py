"""Analyses behind the report notebooks: one module per report, pure functions over `camgiang_data.load`,
each tested in tests/. Notebooks only call these and show the results with `camgiang_data.present`."""
