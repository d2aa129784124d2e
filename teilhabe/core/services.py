"""Everything in core that changes state. Views, commands and admin call these."""

import base64
import json
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.core import reference, roles
from teilhabe.core.geo import bounds_of, validate_area_geometry
from teilhabe.core.models import (
    ActionField,
    District,
    Language,
    Membership,
    Organisation,
    TargetGroup,
    User,
)
from teilhabe.core.queries import district_for_point

M = TypeVar("M", bound=models.Model)


class DataImportError(ValueError):
    """Raised for bad input to an import; the message says what to fix. Nothing was changed."""


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, bool]:
    """Create or update a row, saving only when a value differs, so repeated loads change nothing.

    Returns the row and whether anything was written.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj, bool(changed)


@transaction.atomic
def reference_data_load() -> int:
    """Languages, fields of action and target groups. Returns how many rows were written."""
    written = 0
    for order, seed in enumerate(reference.LANGUAGES, start=1):
        _obj, changed = upsert(
            Language,
            {"code": seed.code},
            {
                "name_en": seed.name_en,
                "name_native": seed.name_native,
                "direction": seed.direction,
                "sort_order": order,
            },
        )
        written += changed
    for number, slug, name, german in reference.ACTION_FIELDS:
        _obj, changed = upsert(
            ActionField,
            {"number": number},
            {"slug": slug, "name": name, "german_name": german, "sort_order": number},
        )
        written += changed
    for order, (slug, name) in enumerate(reference.TARGET_GROUPS, start=1):
        _obj, changed = upsert(TargetGroup, {"slug": slug}, {"name": name, "sort_order": order})
        written += changed
    return written


def _read_feature_collection(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataImportError(f"{path}: file not found") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataImportError(f"{path}: not a JSON file ({exc})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataImportError(f"{path}: expected a GeoJSON FeatureCollection")
    features = data.get("features") or []
    if not features:
        raise DataImportError(f"{path}: the FeatureCollection has no features")
    return features


@transaction.atomic
def districts_load(
    path: Path, *, number_property: str, name_property: str, replace: bool = False
) -> int:
    """Load a city's districts from GeoJSON, all or nothing. Returns how many rows were written.

    With replace=True, districts not in the file are deleted (their organisations keep no district).
    """
    rows: list[tuple[int, str, dict]] = []
    for index, feature in enumerate(_read_feature_collection(path), start=1):
        props = feature.get("properties") or {}
        where = f"{path.name}, feature {index}"
        try:
            number = int(props[number_property])
            name = str(props[name_property]).strip()
        except (KeyError, TypeError, ValueError) as exc:
            raise DataImportError(
                f"{where}: needs the properties '{number_property}' (a whole number) and "
                f"'{name_property}'"
            ) from exc
        if not name:
            raise DataImportError(f"{where}: the name is empty")
        try:
            validate_area_geometry(feature.get("geometry") or {})
        except ValueError as exc:
            raise DataImportError(f"{where} ({name}): {exc}") from exc
        rows.append((number, name, feature["geometry"]))
    numbers = [number for number, _name, _geom in rows]
    if len(set(numbers)) != len(numbers):
        raise DataImportError(f"{path.name}: district numbers are not unique")

    written = 0
    for number, name, geometry in rows:
        min_lon, min_lat, max_lon, max_lat = bounds_of(geometry)
        _obj, changed = upsert(
            District,
            {"number": number},
            {
                "name": name,
                "slug": slugify(
                    name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")
                ),
                "geometry": geometry,
                "min_lon": min_lon,
                "min_lat": min_lat,
                "max_lon": max_lon,
                "max_lat": max_lat,
            },
        )
        written += changed
    if replace:
        deleted, _detail = District.objects.exclude(number__in=numbers).delete()
        written += deleted
    return written


@transaction.atomic
def roles_sync() -> None:
    """Make one group per declared role, with exactly the role's permissions."""
    for role in roles.ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        wanted = set()
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.add(permission.pk)
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)


@transaction.atomic
def user_grant_role(*, user: User, role: roles.Role) -> None:
    group = Group.objects.get(name=role.group_name)
    user.groups.add(group)
    if role.admin_access and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_teilhabe_roles", None)


@transaction.atomic
def user_revoke_role(*, user: User, role: roles.Role) -> None:
    user.groups.remove(Group.objects.get(name=role.group_name))
    user.__dict__.pop("_teilhabe_roles", None)
    keeps_admin = any(r.admin_access for r in roles.roles_of(user))
    if role.admin_access and user.is_staff and not user.is_superuser and not keeps_admin:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def membership_add(*, user: User, organisation: Organisation) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, organisation=organisation)
    if not roles.has_role(user, roles.ORGANISATION_MEMBER):
        user_grant_role(user=user, role=roles.ORGANISATION_MEMBER)
    return membership


def organisation_locate(organisation: Organisation) -> None:
    """Derive the district from the coordinates (None outside the city or without coordinates)."""
    if organisation.latitude is None or organisation.longitude is None:
        organisation.district = None
    else:
        organisation.district = district_for_point(organisation.latitude, organisation.longitude)


def totp_device_for(*, user: User) -> TOTPDevice:
    """The user's confirmed authenticator, or the one being set up (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Other half-finished set-ups of this user are now void.
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it when typed in by hand."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
