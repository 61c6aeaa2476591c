"""Importing accepted papers from a submission system's export into ``papers.yaml``.

One module per concern: ``records`` (what every reader produces), ``cmt`` and
``openreview`` (the two systems' exports), ``pdfs`` (camera-ready files from a zip
or a folder), ``merge`` (upstream records + the organizers' file -> the new file and
a report), ``run`` (the whole import: read, merge, validate, write atomically).
"""
