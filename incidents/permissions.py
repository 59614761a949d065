"""Who may do what to an incident: one set of rules for the admin and the API.

Roles are the groups created by migration 0004: Journalist (adds incidents and
edits their own drafts and incidents in review) and Editor (edits anything,
publishes, unpublishes and retracts). Publishing rests on one permission,
`incidents.publish_incident`; superusers have every permission.
"""

from incidents.models import Incident

PUBLISH_PERMISSION = "incidents.publish_incident"
JOURNALIST_GROUP = "Journalist"
EDITOR_GROUP = "Editor"

# Statuses a journalist may still edit, on incidents they created.
_OWN_EDITABLE = (Incident.Status.DRAFT, Incident.Status.IN_REVIEW)


def can_publish(user):
    """True for editors and superusers: publish, unpublish, retract."""
    return bool(
        user is not None
        and user.is_active
        and user.is_authenticated
        and user.has_perm(PUBLISH_PERMISSION)
    )


def can_edit(user, incident):
    """True if `user` may change `incident` (its fields, places, sources...).

    Editors edit anything; journalists only incidents they created that are
    still a draft or in review.
    """
    if not (user is not None and user.is_active and user.is_authenticated):
        return False
    if not user.has_perm("incidents.change_incident"):
        return False
    if can_publish(user):
        return True
    return (
        incident.created_by_id is not None
        and incident.created_by_id == user.pk
        and incident.status in _OWN_EDITABLE
    )


def can_move(user, incident, new_status):
    """True if `user` may take `incident` from its status to `new_status`.

    Only says who may; whether the move itself is allowed (and the incident
    has a source, a retraction a reason) is Incident.check_transition's job.
    """
    if (incident.status, new_status) in Incident.EDITOR_TRANSITIONS:
        return can_publish(user)
    if incident.status == new_status:
        return can_edit(user, incident) or incident.pk is None
    return can_edit(user, incident)


def allowed_statuses(user, incident):
    """Statuses `user` may choose for `incident` in a form, current one first."""
    if incident.pk is None:
        # New incidents start as drafts or go straight to review; publishing
        # is a separate step, taken once the sources are saved.
        return [Incident.Status.DRAFT, Incident.Status.IN_REVIEW]
    current = Incident.Status(incident.status)
    return [current] + [
        status
        for status in Incident.TRANSITIONS.get(current, ())
        if can_move(user, incident, status)
    ]
