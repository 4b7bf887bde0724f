"""`camgiang run`: execute the report notebooks with papermill and publish them as self-contained HTML.

One small module per concern, so that the cheap path (nothing changed) imports only the standard library:

    plan.py         arguments → a checked plan (years, languages, notebooks, parameters, jobs)  [stdlib]
    fingerprint.py  what a notebook's output depends on, and the manifest of last good runs        [stdlib]
    results.py      outcomes and failures as small dataclasses                                    [stdlib]
    page.py         the page templates' folder and the pages' words (messages/page.toml)          [stdlib]
    templates/      the nbconvert template folder: a layout, the report page, the index, page.css
    index.py        the index page of a year and language (the same templates, Jinja)             [jinja2]
    pool.py         a pool of forked OS processes, one per notebook, where a crash fails one task;
                    a worker past its cells makes room for the next (lighten)                     [stdlib]
    template.py     the warm-kernel template: a process that has imported what kernels import and
                    forks one fresh kernel per request; its start and stop in the parent          [stdlib]
    provisioner.py  the jupyter_client provisioner that asks the template for a kernel, else
                    starts one the ordinary way, saying why                                       [jupyter_client]
    kernel.py       the kernel manager and client: private IPC endpoints, a progress-based wait   [jupyter_client]
    execute.py      the worker: papermill, then export, then atomic writes                        [papermill]
    export.py       executed notebook → page (our template; analyst cells removed); scrubbing
                    machine paths from the kept .ipynb                                            [nbconvert]
    pdf.py          every page to an A4 PDF through the system Chromium (--pdf), in the parent     [playwright]
    run.py          orchestration: skip what is current, run the rest, progress, summary          [tqdm]
"""
