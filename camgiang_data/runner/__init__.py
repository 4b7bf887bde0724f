"""`camgiang run`: execute the report notebooks with papermill and publish them as self-contained HTML.

One small module per concern, so that the cheap path (nothing changed) imports only the standard library:

    plan.py         arguments → a checked plan (years, languages, notebooks, parameters, jobs)  [stdlib]
    fingerprint.py  what a notebook's output depends on, and the manifest of last good runs        [stdlib]
    results.py      outcomes and failures as small dataclasses                                    [stdlib]
    page.py         the HTML page around a report or the index (inline CSS, no scripts)           [stdlib]
    index.py        the index page of a year and language                                         [stdlib]
    pool.py         a pool of forked OS processes, one per notebook, where a crash fails one task [stdlib]
    execute.py      the worker: papermill, then export, then atomic writes                        [papermill]
    export.py       nbconvert body → our page; scrubbing machine paths from the kept .ipynb       [nbconvert]
    run.py          orchestration: skip what is current, run the rest, progress, summary          [tqdm]
"""
