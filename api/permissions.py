"""Who may call what: anyone reads, model permissions guard every write."""

from rest_framework.permissions import (
    SAFE_METHODS,
    DjangoModelPermissionsOrAnonReadOnly,
)


class ModelPermissionsOrReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's DjangoModelPermissionsOrAnonReadOnly, which lets every reader
    through but first builds the view's queryset even for a GET: here a read
    is allowed before any of that work (what each reader sees is the view's
    business), so a cached answer costs no queryset."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)
