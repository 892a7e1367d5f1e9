"""Facet extraction: who (people, organizations), where (places, countries) and what (topics).

Import :func:`archive.facets.extract.extract_facets`; this package file stays empty so that
importing a data helper (the gazetteer for query aliases) loads no extraction code.
"""
