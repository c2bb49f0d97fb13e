from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "heedful.programs"
    label = "programs"
    verbose_name = "Customer programmes"
