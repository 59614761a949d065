import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents import names

# Crockford's base32 without look-alike letters: ids are read aloud and retyped.
_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
PUBLIC_ID_LENGTH = 10
# django-simple-history's history_change_reason column.
HISTORY_REASON_LENGTH = 100


def new_public_id() -> str:
    """A random 10-character id (50 bits); collisions are retried on save."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class Country(models.TextChoices):
    UKRAINE = "UA", _("Ukraine")
    RUSSIA = "RU", _("Russia")
    BELARUS = "BY", _("Belarus")
    MOLDOVA = "MD", _("Moldova")
    POLAND = "PL", _("Poland")
    ROMANIA = "RO", _("Romania")
    OTHER = "XX", _("Other")
    UNKNOWN = "ZZ", _("Unknown")


class LocationQuerySet(models.QuerySet):
    def matching(self, text):
        """Places whose name or any alternate spelling matches `text`.

        Case, accents, Cyrillic/Latin script and transliteration variants are
        ignored ("Ramenskoïe", "Ramenskoye" and "Раменское" match alike).
        """
        folded, key = names.fold(text), names.loose_key(text)
        if not folded:
            return self.none()
        condition = Q(search_text__contains=folded)
        if key:
            condition |= Q(search_text__contains=f"#{key}#")
        return self.filter(condition)


class Location(models.Model):
    class Kind(models.TextChoices):
        SETTLEMENT = "settlement", _("settlement")
        AIRPORT = "airport", _("airport")
        AIRBASE = "airbase", _("air base")
        REGION = "region", _("region")
        MACRO_REGION = "macro_region", _("macro-region")
        COUNTRY = "country", _("country")
        SEA = "sea", _("sea")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    alternate_names = models.JSONField(
        _("alternate names"),
        default=list,
        blank=True,
        help_text=_("Other spellings and transliterations, one per line."),
    )
    region = models.CharField(
        _("region / oblast"), max_length=200, blank=True, default=""
    )
    country = models.CharField(
        _("country"), max_length=2, choices=Country, default=Country.UKRAINE
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.SETTLEMENT
    )
    geonameid = models.PositiveIntegerField(
        _("GeoNames id"), null=True, blank=True, unique=True
    )
    # Folded spellings and loose keys of every name (see incidents.names);
    # the "location" filter and the admin search match on it.
    search_text = models.TextField(editable=False, default="")

    objects = LocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_paired",
                violation_error_message=_(
                    "Give both latitude and longitude, or neither."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.region})" if self.region else self.name

    def save(self, *args, **kwargs):
        self.alternate_names = _clean_names(self.alternate_names, self.name)
        self.search_text = names.search_text(self.all_names)
        if not self.slug:
            self.slug = _unique_slug(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("incidents:location", args=[self.slug])

    @property
    def all_names(self):
        return [self.name, *self.alternate_names]


def _clean_names(alternates, name):
    seen, result = {name.strip().casefold()}, []
    for alt in alternates or []:
        alt = str(alt).strip()
        if alt and alt.casefold() not in seen:
            seen.add(alt.casefold())
            result.append(alt)
    return result


def _unique_slug(location):
    base = slugify(names.fold(location.name)) or "place"
    if location.country:
        base = f"{base}-{location.country.lower()}"
    slug, n = base, 2
    while Location.objects.filter(slug=slug).exclude(pk=location.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class WeaponModel(models.Model):
    class Category(models.TextChoices):
        ATTACK_DRONE = "attack_drone", _("attack drone")
        DECOY_DRONE = "decoy_drone", _("decoy drone")
        RECON_DRONE = "recon_drone", _("reconnaissance drone")
        LOITERING_MUNITION = "loitering", _("loitering munition")
        UNKNOWN_DRONE = "unknown_drone", _("drone (unspecified)")
        CRUISE_MISSILE = "cruise_missile", _("cruise missile")
        BALLISTIC_MISSILE = "ballistic_missile", _("ballistic missile")
        GUIDED_MISSILE = "guided_missile", _("guided missile")
        OTHER = "other", _("other")

    DRONE_CATEGORIES = (
        Category.ATTACK_DRONE,
        Category.DECOY_DRONE,
        Category.RECON_DRONE,
        Category.LOITERING_MUNITION,
        Category.UNKNOWN_DRONE,
    )

    name = models.CharField(_("name"), max_length=120, unique=True)
    category = models.CharField(_("category"), max_length=30, choices=Category)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    national_origin = models.CharField(
        _("national origin"), max_length=80, blank=True, default=""
    )

    class Meta:
        verbose_name = _("weapon model")
        verbose_name_plural = _("weapon models")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_drone(self):
        return self.category in self.DRONE_CATEGORIES


class IncidentQuerySet(models.QuerySet):
    def public(self):
        """Incidents the public may see: published ones, and retractions."""
        return self.filter(status__in=Incident.PUBLIC_STATUSES)

    def with_interception_rate(self):
        """Adds `rate`: intercepted / launched (null when unknown), for ordering."""
        return self.annotate(
            rate=models.Case(
                models.When(
                    drones_launched__gt=0,
                    drones_intercepted__isnull=False,
                    then=models.ExpressionWrapper(
                        F("drones_intercepted") * 1.0 / F("drones_launched"),
                        output_field=models.FloatField(),
                    ),
                ),
                default=None,
                output_field=models.FloatField(),
            )
        )

    def at_location(self, text):
        """Incidents with a place matching `text` in any spelling (or its region)."""
        return self.filter(
            incident_locations__location__in=Location.objects.matching(text)
        ).distinct()

    def for_list(self):
        """Rows for list pages: places and sources prefetched, rate annotated.

        A fixed number of queries whatever the page size: one for incidents,
        one for their places (with locations), one for their weapon lines.
        """
        return (
            self.with_interception_rate()
            .prefetch_related(
                models.Prefetch(
                    "incident_locations",
                    queryset=IncidentLocation.objects.select_related("location"),
                ),
                models.Prefetch(
                    "weapon_lines",
                    queryset=WeaponLine.objects.select_related("weapon"),
                ),
            )
            .order_by("-started_at", "-id")
        )

    def for_detail(self):
        """One incident with every related row loaded (places, weapons, sources)."""
        return self.for_list().prefetch_related("sources")


class Incident(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        RETRACTED = "retracted", _("retracted")

    class Attribution(models.TextChoices):
        CLAIMED = "claimed", _("claimed by the attacker")
        ATTRIBUTED = "attributed", _("attributed by the target")
        UNCLAIMED = "unclaimed", _("unclaimed")
        DISPUTED = "disputed", _("disputed")

    class Precision(models.TextChoices):
        MINUTE = "minute", _("to the minute")
        HOUR = "hour", _("to the hour")
        DAY = "day", _("date only")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.RETRACTED)

    public_id = models.CharField(
        _("public id"),
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        editable=False,
        default=new_public_id,
        help_text=_("Permanent identifier used in URLs and the API."),
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    time_precision = models.CharField(
        _("time precision"),
        max_length=10,
        choices=Precision,
        default=Precision.MINUTE,
        help_text=_("Choose 'date only' when the report gives no time of day."),
    )
    attacker = models.CharField(
        _("attacking side"), max_length=2, choices=Country, default=Country.UNKNOWN
    )
    target_country = models.CharField(
        _("target country"), max_length=2, choices=Country
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=12,
        choices=Attribution,
        default=Attribution.ATTRIBUTED,
    )
    drones_launched = models.PositiveIntegerField(
        _("drones launched"),
        null=True,
        blank=True,
        help_text=_("Leave blank when the report does not say."),
    )
    drones_intercepted = models.PositiveIntegerField(
        _("drones intercepted"),
        null=True,
        blank=True,
        help_text=_("Downed, intercepted or neutralised. Blank when unknown."),
    )
    summary = models.TextField(_("summary"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT
    )
    locations = models.ManyToManyField(
        Location, through="IncidentLocation", related_name="incidents", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Rows written by `import_attacks` carry the dataset row key so a re-import
    # updates them; incidents entered by hand leave it blank.
    import_key = models.CharField(
        max_length=255, null=True, blank=True, unique=True, editable=False
    )
    # --- Editorial workflow (see "Editorial workflow and corrections") ---
    retraction_reason = models.TextField(
        _("retraction reason"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Shown publicly with a retracted incident. Required to retract."),
    )
    # Optimistic concurrency: every save of an existing row is a compare-and-swap
    # on this number, so two people editing at once cannot overwrite each other.
    version = models.PositiveIntegerField(
        _("version"), default=1, db_default=1, editable=False
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        cascade_delete_history=False,
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(drones_launched__isnull=True) | Q(drones_launched__gte=0),
                name="incident_launched_not_negative",
                violation_error_message=_("Drones launched cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(drones_intercepted__isnull=True)
                | Q(drones_intercepted__gte=0),
                name="incident_intercepted_not_negative",
                violation_error_message=_("Drones intercepted cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(drones_launched__isnull=True)
                | Q(drones_intercepted__isnull=True)
                | Q(drones_intercepted__lte=F("drones_launched")),
                name="incident_intercepted_within_launched",
                violation_error_message=_(
                    "Drones intercepted cannot exceed drones launched."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="incident_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=~Q(status="retracted") | ~Q(retraction_reason=""),
                name="incident_retraction_has_reason",
                violation_error_message=_("A retraction needs a reason."),
            ),
        ]
        permissions = [
            (
                "publish_incident",
                _("Can publish, unpublish and retract incidents"),
            ),
        ]
        indexes = [
            # Public list and API default ordering, and date-range filters:
            # newest first, status checked on the fly (nearly every row is
            # public), so a page of 50 reads about 50 index entries.
            models.Index(fields=["-started_at", "-id"], name="incident_recent"),
            # "side" filter combined with a date range.
            models.Index(fields=["attacker", "started_at"], name="incident_side_date"),
            models.Index(
                fields=["target_country", "started_at"], name="incident_target_date"
            ),
            # Incremental sync: updated_since.
            models.Index(fields=["updated_at"], name="incident_updated"),
        ]

    def __str__(self):
        when = timezone.localtime(self.started_at).date() if self.started_at else "?"
        return (
            f"{when}: {self.get_attacker_display()} → "
            f"{self.get_target_country_display()}"
        )

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self._state.adding:
            while Incident.objects.filter(public_id=self.public_id).exists():
                self.public_id = new_public_id()
            super().save(*args, **kwargs)
            return
        # Compare-and-swap: the UPDATE only matches the row at the version this
        # object was loaded with (see _do_update), and moves it one up.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        self._expected_version = expected = self.version
        self.version = expected + 1
        try:
            # A savepoint: a refused save leaves the caller's transaction usable.
            with transaction.atomic(using=kwargs.get("using")):
                super().save(*args, **kwargs)
        except BaseException:
            self.version = expected
            raise
        finally:
            self._expected_version = None

    def get_absolute_url(self):
        return reverse("incidents:detail", args=[self.public_id])

    def _do_update(self, base_qs, using, pk_val, values, *args, **kwargs):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, *args, **kwargs)
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, *args, **kwargs
        )
        if not updated:
            current = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=pk_val)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None:
                raise StaleVersionError(expected, current)
        return updated

    def save_checked(self, expected_version, **kwargs):
        """Save only if the stored row is still at `expected_version`.

        For clients that send back the version they read (API, forms): raises
        StaleVersionError, a ValidationError with a clear message, otherwise.
        """
        self.version = int(expected_version)
        self.save(**kwargs)

    @property
    def interception_rate(self):
        launched, intercepted = self.drones_launched, self.drones_intercepted
        if launched and intercepted is not None:
            return intercepted / launched
        return None

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    def clean(self):
        super().clean()
        errors = {}
        launched, intercepted = self.drones_launched, self.drones_intercepted
        if launched is not None and intercepted is not None and intercepted > launched:
            errors["drones_intercepted"] = _(
                "Drones intercepted (%(i)s) cannot exceed drones launched (%(l)s)."
            ) % {"i": intercepted, "l": launched}
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            errors["ended_at"] = _("The end cannot be before the start.")
        if self.status == self.Status.RETRACTED and not self.retraction_reason.strip():
            errors["retraction_reason"] = _(
                "A retraction needs a reason; it is shown to readers."
            )
        if errors:
            raise ValidationError(errors)

    # --- Workflow transitions ---------------------------------------------
    # Allowed moves between states; anything else is refused with a message.
    TRANSITIONS = {
        Status.DRAFT: (Status.IN_REVIEW,),
        Status.IN_REVIEW: (Status.PUBLISHED, Status.DRAFT),
        Status.PUBLISHED: (Status.RETRACTED, Status.DRAFT),
        Status.RETRACTED: (),
    }
    # Moves that need the publish permission (Editor role).
    EDITOR_TRANSITIONS = {
        (Status.IN_REVIEW, Status.PUBLISHED),
        (Status.PUBLISHED, Status.RETRACTED),
        (Status.PUBLISHED, Status.DRAFT),
    }

    @classmethod
    def check_transition(cls, old, new, *, has_sources=True, retraction_reason=""):
        """Raise ValidationError(status=...) unless `old` -> `new` is allowed."""
        if old == new:
            return
        if new not in cls.TRANSITIONS.get(old, ()):
            allowed = ", ".join(
                str(cls.Status(s).label) for s in cls.TRANSITIONS.get(old, ())
            )
            raise ValidationError(
                {
                    "status": _(
                        "An incident cannot go from “%(old)s” to “%(new)s”. "
                        "From “%(old)s” it can go to: %(allowed)s."
                    )
                    % {
                        "old": cls.Status(old).label,
                        "new": cls.Status(new).label,
                        "allowed": allowed or _("nothing (a retraction is final)"),
                    }
                }
            )
        if new == cls.Status.PUBLISHED and not has_sources:
            raise ValidationError(
                {
                    "status": _(
                        "A published incident needs at least one source. "
                        "Add a source before publishing."
                    )
                }
            )
        if new == cls.Status.RETRACTED and not retraction_reason.strip():
            raise ValidationError(
                {
                    "retraction_reason": _(
                        "A retraction needs a reason; it is shown to readers."
                    )
                }
            )

    def _move(self, new, *, user=None, reason="", expected_version=None):
        from incidents import permissions

        if user is not None and not permissions.can_move(user, self, new):
            raise PermissionDenied(
                _("You are not allowed to move this incident to “%(new)s”.")
                % {"new": self.Status(new).label}
            )
        with transaction.atomic():
            has_sources = self.sources.exists()
            self.check_transition(
                self.status,
                new,
                has_sources=has_sources,
                retraction_reason=self.retraction_reason,
            )
            self.status = new
            if user is not None:
                self.updated_by = user
            self._change_reason = reason or None
            if expected_version is not None:
                self.version = int(expected_version)
            self.save()

    def submit_for_review(self, *, user=None, reason="", expected_version=None):
        """draft -> in review (journalists and editors)."""
        self._move(
            self.Status.IN_REVIEW,
            user=user,
            reason=reason,
            expected_version=expected_version,
        )

    def send_back(self, *, user=None, reason="", expected_version=None):
        """in review -> draft."""
        self._require_state(self.Status.IN_REVIEW)
        self._move(
            self.Status.DRAFT,
            user=user,
            reason=reason,
            expected_version=expected_version,
        )

    def publish(self, *, user=None, reason="", expected_version=None):
        """in review -> published (editors); needs at least one source."""
        self._move(
            self.Status.PUBLISHED,
            user=user,
            reason=reason,
            expected_version=expected_version,
        )

    def unpublish(self, *, user=None, reason="", expected_version=None):
        """published -> draft (editors)."""
        self._require_state(self.Status.PUBLISHED)
        self._move(
            self.Status.DRAFT,
            user=user,
            reason=reason,
            expected_version=expected_version,
        )

    def retract(self, reason, *, user=None, expected_version=None):
        """published -> retracted (editors); the reason is shown publicly."""
        self.retraction_reason = (reason or "").strip()
        # The history's change-reason column holds 100 characters; the full
        # reason is kept (and shown) in `retraction_reason` itself.
        note = self.retraction_reason
        if len(note) > HISTORY_REASON_LENGTH:
            note = note[: HISTORY_REASON_LENGTH - 1] + "…"
        self._move(
            self.Status.RETRACTED,
            user=user,
            reason=note,
            expected_version=expected_version,
        )

    def _require_state(self, state):
        if self.status != state:
            raise ValidationError(
                {
                    "status": _(
                        "Only a “%(state)s” incident can do this; this one "
                        "is “%(current)s”."
                    )
                    % {
                        "state": self.Status(state).label,
                        "current": self.get_status_display(),
                    }
                }
            )

    def check_totals(self, lines):
        """Errors when drone totals disagree with the given weapon lines.

        `lines` are unsaved or saved WeaponLine objects with `weapon` set.
        Returns a dict of field -> message, empty when they agree.
        """
        launched, intercepted = self.drone_line_totals(lines)
        errors = {}
        checks = (
            ("drones_launched", self.drones_launched, launched),
            ("drones_intercepted", self.drones_intercepted, intercepted),
        )
        for field, total, line_sum in checks:
            if total is not None and line_sum is not None and total != line_sum:
                errors[field] = _(
                    "%(total)s does not match the weapon breakdown, whose drone "
                    "lines add up to %(sum)s. Correct one or leave the total blank "
                    "to fill it from the lines."
                ) % {"total": total, "sum": line_sum}
        return errors

    def fill_totals_from(self, lines):
        """Fill blank drone totals from the drone lines; True if anything changed."""
        launched, intercepted = self.drone_line_totals(lines)
        changed = False
        if self.drones_launched is None and launched is not None:
            self.drones_launched, changed = launched, True
        if self.drones_intercepted is None and intercepted is not None:
            self.drones_intercepted, changed = intercepted, True
        return changed

    def drone_line_totals(self, lines=None):
        """Sums of launched / intercepted over drone weapon lines.

        Returns (None, None) when there are no drone lines; a sum is None when
        any line leaves that count unknown. Hits the DB unless `lines` is given.
        """
        lines = [
            line
            for line in (lines if lines is not None else self.weapon_lines.all())
            if line.weapon.is_drone
        ]
        if not lines:
            return None, None
        launched = [line.launched for line in lines]
        intercepted = [line.intercepted for line in lines]
        return (
            None if None in launched else sum(launched),
            None if None in intercepted else sum(intercepted),
        )


class IncidentLocation(models.Model):
    class Role(models.TextChoices):
        TARGET = "target", _("target")
        INTERCEPTION = "interception", _("interception area")
        LAUNCH = "launch", _("launch site")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="incident_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="incident_locations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.TARGET)

    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "location", "role"],
                name="incidentlocation_unique_role",
                violation_error_message=_("This place already has this role."),
            )
        ]
        indexes = [
            # "location" filter: incidents at a set of places.
            models.Index(fields=["location", "incident"], name="incidentloc_location"),
        ]

    def __str__(self):
        return f"{self.location} ({self.get_role_display()})"


class WeaponLine(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="weapon_lines"
    )
    weapon = models.ForeignKey(
        WeaponModel,
        verbose_name=_("weapon model"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    launched = models.PositiveIntegerField(_("launched"), null=True, blank=True)
    intercepted = models.PositiveIntegerField(_("intercepted"), null=True, blank=True)

    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("weapon line")
        verbose_name_plural = _("weapon breakdown")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "weapon"],
                name="weaponline_unique_weapon",
                violation_error_message=_("This weapon model is already listed."),
            ),
            models.CheckConstraint(
                condition=Q(launched__isnull=True) | Q(launched__gte=0),
                name="weaponline_launched_not_negative",
                violation_error_message=_("Launched cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(intercepted__isnull=True) | Q(intercepted__gte=0),
                name="weaponline_intercepted_not_negative",
                violation_error_message=_("Intercepted cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(launched__isnull=True)
                | Q(intercepted__isnull=True)
                | Q(intercepted__lte=F("launched")),
                name="weaponline_intercepted_within_launched",
                violation_error_message=_("Intercepted cannot exceed launched."),
            ),
        ]
        indexes = [
            # "drone_model" filter.
            models.Index(fields=["weapon", "incident"], name="weaponline_weapon"),
        ]

    def __str__(self):
        return f"{self.weapon}: {self.launched} / {self.intercepted}"


class Source(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("URL"), max_length=500, blank=True, default="")
    publisher = models.CharField(_("publisher"), max_length=200, blank=True, default="")
    title = models.CharField(_("title"), max_length=300, blank=True, default="")
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        help_text=_("ISO 639-1 code, e.g. fr, en, uk, ru."),
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    claimant = models.CharField(
        _("claimant"),
        max_length=200,
        help_text=_(
            "Who makes the claim, e.g. 'Ukrainian Air Force', "
            "'Russian Ministry of Defence'."
        ),
    )
    claim = models.TextField(_("quoted claim"), blank=True, default="")

    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(publisher="") | ~Q(title=""),
                name="source_identifiable",
                violation_error_message=_(
                    "Give at least a URL, a publisher or a title."
                ),
            )
        ]

    def __str__(self):
        return self.title or self.publisher or self.url


class StaleVersionError(ValidationError):
    """Someone saved the incident after this copy of it was read."""

    def __init__(self, expected, current):
        self.expected, self.current = expected, current
        super().__init__(
            _(
                "Someone else saved this incident while you were editing it "
                "(you started from version %(expected)s; it is now at version "
                "%(current)s). Your changes were not saved: reload the incident, "
                "check their changes and make yours again."
            ),
            code="stale_version",
            params={"expected": expected, "current": current},
        )


class RecordVersion(models.Model):
    """One row: the version of the public record, moved on by every change.

    The public cache (incidents/cache.py) keys every stored answer by it and
    the API builds its validators from it. Kept in the database, not in the
    cache, so that every worker and replica sees the same value, and a change
    and its new version are committed (or rolled back) together.
    """

    version = models.BigIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("record version")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="record_version_one_row")
        ]

    def __str__(self):
        return str(self.version)
