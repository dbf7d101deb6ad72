"""Demo data for a cross-border e-commerce programme: ``python manage.py load_demo``.

``content`` holds the data, ``loader`` builds it idempotently.
"""
