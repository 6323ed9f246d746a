def test_app_imports():
    import wagtail_beian

    assert wagtail_beian.__version__
