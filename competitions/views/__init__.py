"""Front-end views for students and judges; admin views for organisers live in admin_views.py."""
