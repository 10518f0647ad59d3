"""Applications to regulators: IND/CTA for trials, NDA/BLA/MAA for marketing, with review and pathway."""

from __future__ import annotations

import attrs

from . import _validate as v
from ._errors import Problem
from ._source import Source
from ._vocab import Agency, ApplicationKind, Vocabulary

__all__ = ["Actor", "Application", "ApplicationType", "Pathway", "ReviewType"]


class ApplicationType(Vocabulary):
    """The kind of application filed with an agency.

    ``ind`` and ``cta`` ask to run clinical trials; the others ask to market the
    product: ``nda`` and ``bla`` (FDA), ``supplement`` (a new indication or
    change to an approved NDA/BLA), ``maa`` (EU marketing authorisation
    application), ``nmpa_marketing`` (China's drug or biologic marketing
    application) and ``marketing`` (any other agency's).

    >>> from biopipe import ApplicationType
    >>> ApplicationType.BLA.is_marketing, ApplicationType.IND.is_marketing
    (True, False)
    >>> ApplicationType.NMPA_MARKETING.label
    'NMPA marketing application'
    """

    IND = "ind"
    CTA = "cta"
    NDA = "nda"
    BLA = "bla"
    SUPPLEMENT = "supplement"
    MAA = "maa"
    NMPA_MARKETING = "nmpa_marketing"
    MARKETING = "marketing"

    @property
    def is_marketing(self) -> bool:
        """Whether the application asks to market the product (not to run trials)."""
        return self not in (ApplicationType.IND, ApplicationType.CTA)

    @property
    def track(self) -> ApplicationKind:
        """The event track the application's lifecycle events belong to."""
        return ApplicationKind.MARKETING if self.is_marketing else ApplicationKind.CLINICAL_TRIAL

    @property
    def label(self) -> str:
        """``IND``, ``BLA``, ``NMPA marketing application``, ..."""
        return _TYPE_LABEL.get(self, self.code.upper())


_TYPE_LABEL = {
    ApplicationType.SUPPLEMENT: "supplemental application",
    ApplicationType.NMPA_MARKETING: "NMPA marketing application",
    ApplicationType.MARKETING: "marketing application",
}


class ReviewType(Vocabulary):
    """How fast the agency reviews a marketing application.

    >>> from biopipe import ReviewType
    >>> ReviewType.PRIORITY.label
    'priority review'
    """

    STANDARD = "standard"
    PRIORITY = "priority"

    @property
    def label(self) -> str:
        """``standard review`` or ``priority review``."""
        return f"{self.code} review"


class Pathway(Vocabulary):
    """The legal basis of a marketing approval.

    - ``traditional``: a full (regular) approval on clinical benefit.
    - ``accelerated``: FDA accelerated approval on a surrogate endpoint, to be confirmed.
    - ``conditional``: a conditional approval or marketing authorisation (NMPA, EU, MHRA, ...).
    - ``exceptional_circumstances``: an EU authorisation under exceptional circumstances.

    FDA approvals are traditional or accelerated; other agencies' are not accelerated.

    >>> from biopipe import Agency, Pathway
    >>> Pathway.ACCELERATED.allowed_for(Agency.FDA), Pathway.ACCELERATED.allowed_for(Agency.NMPA)
    (True, False)
    """

    TRADITIONAL = "traditional"
    ACCELERATED = "accelerated"
    CONDITIONAL = "conditional"
    EXCEPTIONAL_CIRCUMSTANCES = "exceptional_circumstances"

    def allowed_for(self, agency: Agency) -> bool:
        """Whether *agency* grants approvals on this pathway."""
        if self is Pathway.ACCELERATED:
            return agency is Agency.FDA
        if self is Pathway.TRADITIONAL:
            return True
        if self is Pathway.EXCEPTIONAL_CIRCUMSTANCES:
            return agency in (Agency.EMA, Agency.EC)
        return agency is not Agency.FDA


class Actor(Vocabulary):
    """Who took a step that either side may take, such as withdrawing an application.

    >>> from biopipe import Actor
    >>> Actor.SPONSOR.code
    'sponsor'
    """

    SPONSOR = "sponsor"
    AGENCY = "agency"


@attrs.frozen(kw_only=True)
class Application:
    """An application filed with an agency; its lifecycle is the asset's events that name its ``id``.

    ``id`` is the application's name within the asset (the agency's number
    when known, such as ``"BLA 761139"``, or any label such as ``"US BLA"``);
    events refer to it by that name. ``indications`` are those the application
    asks for.

    >>> import biopipe
    >>> bla = biopipe.Application(id="BLA 761139", agency=biopipe.Agency.FDA,
    ...                           kind=biopipe.ApplicationType.BLA, number="761139",
    ...                           indications=("HER2-positive breast cancer",))
    >>> bla.jurisdiction, bla.kind.label, bla.kind.is_marketing
    ('US', 'BLA', True)
    >>> biopipe.Application(id="X", agency=biopipe.Agency.FDA, kind=biopipe.ApplicationType.MAA)
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in Application:
      kind: got ApplicationType.MAA, expected an application type the FDA receives (not 'maa')
    """

    id: str = attrs.field(validator=v.text)
    agency: Agency = attrs.field(validator=v.instance(Agency, "an Agency"))
    kind: ApplicationType = attrs.field(validator=v.instance(ApplicationType, "an ApplicationType"))
    number: str | None = attrs.field(default=None, validator=v.optional(v.text))
    indications: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())
    note: str | None = attrs.field(default=None, validator=v.optional(v.text))
    sources: tuple[Source, ...] = attrs.field(default=(), validator=v.tuple_of_type(Source, "Source values"))

    def __attrs_post_init__(self) -> None:
        if not _received_by(self.kind, self.agency):
            v.raise_problems(
                self,
                [
                    Problem(
                        "kind",
                        self.kind,
                        f"an application type the {self.agency.abbreviation} receives (not {self.kind.code!r})",
                    )
                ],
            )

    @property
    def jurisdiction(self) -> str:
        """The jurisdiction of the agency it is filed with."""
        return self.agency.jurisdiction


def _received_by(kind: ApplicationType, agency: Agency) -> bool:
    """Whether *agency* receives applications of type *kind* (EU agencies take CTAs and MAAs, not INDs)."""
    if kind is ApplicationType.MAA:
        return agency in (Agency.EMA, Agency.EC, Agency.MHRA, Agency.SWISSMEDIC)
    if kind is ApplicationType.NMPA_MARKETING:
        return agency is Agency.NMPA
    if kind in (ApplicationType.IND, ApplicationType.NDA, ApplicationType.BLA, ApplicationType.SUPPLEMENT):
        return agency not in (Agency.EMA, Agency.EC)
    return True
