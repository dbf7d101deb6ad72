"""Teacher analytics: the alignment matrix, a class's attainment, the change between terms and the
industry-demand gap. Cross-app reports, so they live at the top layer and read from every app's selectors."""
