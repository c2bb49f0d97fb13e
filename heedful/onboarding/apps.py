from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "heedful.onboarding"
    label = "onboarding"
    verbose_name = "onboarding"
