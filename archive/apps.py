from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("档案")


class LoginLockoutConfig(AxesConfig):
    """django-axes (the admin login's lockout) under a Chinese name in the admin's app list."""

    verbose_name = _("登录锁定")
