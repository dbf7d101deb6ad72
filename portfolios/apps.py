from django.apps import AppConfig
from django.core import checks


class PortfoliosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portfolios"

    def ready(self) -> None:
        from portfolios.checks import check_chinese_font, check_harfbuzz_subsetting

        checks.register(check_harfbuzz_subsetting)
        checks.register(check_chinese_font)
