from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "heedful.expenses"
    label = "expenses"
    verbose_name = "expense reports"
