"""Build the example records beside JS212 from their cited public sources.

Run: ``PYTHONPATH=src python scripts/build_example_records.py src/biopipe/document/examples``.
"""

from __future__ import annotations

import pathlib
import sys

import biopipe
from biopipe import (
    Actor,
    Agency,
    Alias,
    AliasKind,
    Application,
    ApplicationType,
    Asset,
    Deal,
    DealKind,
    Designation,
    EventKind,
    FactDate,
    Indication,
    Modality,
    Money,
    PartialDate,
    Party,
    PartyRole,
    Pathway,
    RegulatoryEvent,
    ReviewType,
    Source,
    Target,
    Territory,
)

OUT = pathlib.Path(sys.argv[1])
js212 = biopipe.example("js212")
EGFR, ERBB3 = js212.targets
MET = Target(symbol="MET", aliases=("HGFR",), hgnc_id="HGNC:7029")


def src(title: str, publisher: str, url: str, published: str | None) -> Source:
    """A cited page; *published* only when the page shows its date."""
    return Source(
        title=title,
        publisher=publisher,
        url=url,
        published=PartialDate.parse(published) if published else None,
    )


def d(text: str) -> FactDate:
    """A fact date from its ISO-style text (``2021-12``, ``on or before 2023-12-22``)."""
    return FactDate.parse(text)


def p(text: str) -> PartialDate:
    """A partial date from its ISO-style text."""
    return PartialDate.parse(text)


# ---------------------------------------------------------------- patritumab deruxtecan
NSCLC_EGFRM = "EGFR-mutated non-small cell lung cancer"
PD_PRIORITY = src(
    "Merck, Daiichi Sankyo Say FDA Grants Priority Review In U.S. For Patritumab Deruxtecan",
    "Nasdaq (RTTNews)",
    "https://www.nasdaq.com/articles/merck-daiichi-sankyo-say-fda-grants-priority-review-in-u.s.-for-patritumab-deruxtecan",
    "2023-12-22",
)
PD_PRIORITY_2 = src(
    "FDA Grants Priority Review for Daiichi Sankyo and Merck's Patritumab Deruxtecan",
    "Pearce IP",
    "https://pearceip.law/2023/12/22/fda-grants-priority-review-for-daiichi-sankyo-and-mercks-patritumab-deruxtecan",
    "2023-12-22",
)
PD_CRL = src(
    "FDA Declines To Approve Merck-Daiichi Sankyo Partnered Lung Cancer Drug",
    "Apex Trader Funding News",
    "https://apextraderfunding.com/news/2024/06/27/fda-declines-to-approve-merck-daiichi-sankyo-partnered-lung-cancer-drug",
    "2024-06-27",
)
PD_CRL_2 = src(
    "Patritumab deruxtecan BLA submission receives complete response letter from FDA due to inspection "
    "findings at third-party manufacturer",
    "Maestro Database",
    "https://maestrodatabase.com/blog/patritumab-deruxtecan-bla-submission-receives-complete-response-letter-"
    "from-fda-due-to-inspection-findings-at-third-party-manufacturer",
    "2024-06-27",
)
PD_WITHDRAWN = src(
    "Merck Withdraws Biologics License Application for Patritumab Deruxtecan",
    "Financetom (MT Newswires)",
    "https://www.financetom.com/business/merck-withdraws-biologics-license-application-for-patritumab-deruxtecan-380247.htm",
    "2025-05-29",
)
PD_WITHDRAWN_2 = src(
    "Patritumab deruxtecan biologics license application for patients with previously treated locally advanced "
    "or metastatic EGFR-mutated non-small cell lung cancer voluntarily withdrawn",
    "Maestro Database",
    "https://maestrodatabase.com/blog/patritumab-deruxtecan-biologics-license-application-for-patients-with-"
    "previously-treated-locally-advanced-or-metastatic-egfr-mutated-non-small-cell-lung-cancer-voluntarily-withdrawn",
    "2025-05-29",
)
PD_DEAL = src(
    "Daiichi Sankyo and Merck Announce Global Development and Commercialization Collaboration for Three "
    "Daiichi Sankyo DXd ADCs",
    "StockTitan (company press release)",
    "https://stocktitan.net/news/MRK/daiichi-sankyo-and-merck-announce-global-development-and-yzpb49l4uilk.html",
    None,
)
PD_DEAL_2 = src(
    "Daiichi Sankyo, Merck sign cancer therapy deal of up to $22 billion",
    "Japan Today",
    "https://japantoday.com/category/business/daiichi-sankyo-merck-sign-cancer-therapy-deal-of-up-to-22-billion",
    "2023-10-22",
)
PD_DEAL_3 = src(
    "Merck and Daiichi Sankyo Form $22 Billion Alliance for Three Novel Antibody-Drug Conjugates",
    "MedPath",
    "https://trial.medpath.com/news/ea2484b7c72db067/merck-and-daiichi-sankyo-form-22-billion-alliance-for-three-"
    "novel-antibody-drug-conjugates",
    None,
)

us_bla = "US BLA"
patritumab = Asset(
    code="HER3-DXd",
    sponsor="Daiichi Sankyo",
    modality=Modality.ADC,
    description="HER3-directed DXd antibody-drug conjugate discovered by Daiichi Sankyo, "
    "jointly developed and commercialised with Merck & Co. (MSD outside the US and Canada)",
    aliases=(Alias(name="patritumab deruxtecan", kind=AliasKind.INN),),
    targets=(ERBB3,),
    indications=(
        Indication(
            name=NSCLC_EGFRM,
            synonyms=("EGFR-mutated NSCLC", "EGFRm NSCLC"),
            ids=("MESH:D002289", "NCIT:C2926"),
        ),
    ),
    applications=(
        Application(
            id=us_bla,
            agency=Agency.FDA,
            kind=ApplicationType.BLA,
            indications=(
                "locally advanced or metastatic EGFR-mutated non-small cell lung cancer previously treated with "
                "two or more systemic therapies",
            ),
            note="sought accelerated approval on the HERTHENA-Lung01 phase 2 results",
            sources=(PD_PRIORITY,),
        ),
    ),
    events=(
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.DESIGNATION_GRANTED,
            designation=Designation.BREAKTHROUGH_THERAPY,
            date=d("2021-12"),
            indication=NSCLC_EGFRM,
            note="EGFR-mutated locally advanced or metastatic NSCLC with disease progression on or after a "
            "third-generation TKI and platinum-based therapies",
            sources=(PD_PRIORITY,),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.MARKETING_ACCEPTED,
            date=d("on or before 2023-12-22"),
            indication=NSCLC_EGFRM,
            application=us_bla,
            review=ReviewType.PRIORITY,
            goal_date=p("2024-06-26"),
            disclosed=p("2023-12-22"),
            note="BLA accepted and granted priority review; PDUFA date 2024-06-26",
            sources=(PD_PRIORITY, PD_PRIORITY_2),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.COMPLETE_RESPONSE,
            date=d("2024-06-26"),
            indication=NSCLC_EGFRM,
            application=us_bla,
            note="findings of an inspection of a third-party manufacturing facility; the letter raised no "
            "efficacy or safety issue",
            sources=(PD_CRL, PD_CRL_2),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.MARKETING_WITHDRAWN,
            date=d("on or before 2025-05-29"),
            indication=NSCLC_EGFRM,
            application=us_bla,
            by=Actor.SPONSOR,
            disclosed=p("2025-05-29"),
            note="voluntarily withdrawn after HERTHENA-Lung02 overall survival did not reach statistical "
            "significance, and discussions with the FDA; unrelated to the complete response letter",
            sources=(PD_WITHDRAWN, PD_WITHDRAWN_2),
        ),
    ),
    parties=(
        Party(
            name="Daiichi Sankyo",
            role=PartyRole.ORIGINATOR,
            note="discovered the asset; keeps exclusive rights in Japan and is solely responsible for "
            "manufacturing and supply",
            sources=(PD_DEAL, PD_DEAL_2),
        ),
        Party(
            name="Merck & Co.",
            role=PartyRole.CO_DEVELOPER,
            territory=Territory(worldwide=True, excluding=("JP",)),
            start=p("2023-10"),
            disclosed=p("2023-10-19"),
            note="known as MSD outside the United States and Canada",
            sources=(PD_DEAL, PD_DEAL_2, PD_DEAL_3),
        ),
        Party(
            name="Merck & Co.",
            role=PartyRole.CO_COMMERCIALIZER,
            territory=Territory(worldwide=True, excluding=("JP",)),
            start=p("2023-10"),
            disclosed=p("2023-10-19"),
            sources=(PD_DEAL, PD_DEAL_2, PD_DEAL_3),
        ),
    ),
    deals=(
        Deal(
            kind=DealKind.CO_DEVELOPMENT,
            date=d("on or before 2023-10-19"),
            parties=("Daiichi Sankyo", "Merck & Co."),
            territory=Territory(worldwide=True, excluding=("JP",)),
            upfront=Money(amount=4_000_000_000, currency="USD"),
            total=Money(amount=22_000_000_000, currency="USD"),
            disclosed=p("2023-10-19"),
            note="one agreement for three DXd ADCs (patritumab deruxtecan, ifinatamab deruxtecan, raludotatug "
            "deruxtecan); the amounts are for all three: USD 4 billion upfront, up to USD 1.5 billion in "
            "continuation payments over 24 months and up to USD 16.5 billion in sales milestones",
            sources=(PD_DEAL, PD_DEAL_2, PD_DEAL_3),
        ),
    ),
    sources=(PD_PRIORITY, PD_CRL, PD_WITHDRAWN, PD_DEAL_2),
)

# ---------------------------------------------------------------- amivantamab
EX20 = "NSCLC with EGFR exon 20 insertion mutations"
AMI_BLA = src(
    "Janssen Submits Application to U.S. FDA Seeking Approval of Amivantamab for the Treatment of Patients with "
    "Metastatic Non-Small Cell Lung Cancer with EGFR Exon 20 Insertion Mutations",
    "Pipeline Review (Janssen press release)",
    "https://pipelinereview.com/janssen-submits-application-to-u-s-fda-seeking-approval-of-amivantamab-for-the-"
    "treatment-of-patients-with-metastatic-non-small-cell-lung-cancer-with-egfr-exon-20-insertion-mutations/",
    "2020-12-03",
)
AMI_BLA_2 = src(
    "J&J (JNJ) Files BLA for Lung Cancer Candidate Amivantamab",
    "Nasdaq (Zacks)",
    "https://www.nasdaq.com/articles/jj-jnj-files-bla-for-lung-cancer-candidate-amivantamab-2020-12-04",
    "2020-12-04",
)
AMI_APPROVAL = src(
    "FDA Approves Janssen's Rybrevant for Subset of Non-Small Cell Lung Cancer",
    "Drug Discovery & Development",
    "https://www.drugdiscoverytrends.com/fda-approves-janssens-rybrevant-for-subset-of-non-small-cell-lung-cancer/",
    None,
)
AMI_SUMMARY = src(
    "FDA Approval Summary: Amivantamab (Clinical Cancer Research 29(17):3262)",
    "Clinical Cancer Research (AACR)",
    "https://aacrjournals.org/clincancerres/article/29/17/3262/728536/FDA-Approval-Summary-Amivantamab-for-the-Treatment",
    None,
)
AMI_NOVEL = src(
    "Biotech Stocks Facing FDA Decision In June 2021",
    "Business Insider (RTTNews)",
    "https://markets.businessinsider.com/news/stocks/biotech-stocks-facing-fda-decision-in-june-2021-1030458138",
    "2021-05-24",
)
AMI_CONVERTED = src(
    "Full FDA approval for Rybrevant, a first-line therapy in EGFR-m NSCLC",
    "The Pharma Letter",
    "https://www.thepharmaletter.com/biotechnology/full-fda-approval-for-rybrevant-a-first-line-therapy-in-egfr-m-nsclc",
    "2024-03-02",
)
AMI_CONVERTED_2 = src(
    "FDA Approves Amivantamab-vmjw for EGFR Exon 20 Insertion Variant NSCLC",
    "Oncology Nursing Society Voice",
    "https://voice.ons.org/news-and-views/fda-approves-amivantamab-vmjw-for-egfr-exon-20-insertion-variant-nsclc",
    None,
)
AMI_EU = src(
    "Janssen submits application to the European Medicines Agency seeking approval of RYBREVANT (amivantamab) "
    "in combination with chemotherapy",
    "Johnson & Johnson Innovative Medicine",
    "https://innovativemedicine.jnj.com/janssen-submits-application-european-medicines-agency-rybrevant-amivantamab-"
    "combination",
    "2023-10-06",
)
AMI_SMPC = src(
    "Rybrevant 50 mg/mL concentrate for solution for infusion: summary of product characteristics",
    "electronic medicines compendium (emc)",
    "https://www.medicines.org.uk/emc/product/13084/smpc",
    None,
)

amivantamab = Asset(
    code="amivantamab",
    sponsor="Janssen Biotech",
    modality=Modality.BISPECIFIC_ANTIBODY,
    antibody_origin=biopipe.AntibodyOrigin.HUMAN,
    description="Fully human IgG1-based EGFR-MET bispecific antibody, made with Genmab's DuoBody platform",
    aliases=(
        Alias(name="amivantamab-vmjw", kind=AliasKind.OTHER),
        Alias(name="Rybrevant", kind=AliasKind.BRAND),
    ),
    targets=(EGFR, MET),
    indications=(
        Indication(
            name=EX20,
            synonyms=("EGFR exon 20 insertion NSCLC", "EGFR ex20ins non-small cell lung cancer"),
            ids=("MESH:D002289", "NCIT:C2926"),
        ),
    ),
    applications=(
        Application(
            id=us_bla,
            agency=Agency.FDA,
            kind=ApplicationType.BLA,
            indications=(
                "metastatic NSCLC with EGFR exon 20 insertion mutations whose disease has progressed on or after "
                "platinum-based chemotherapy",
            ),
            sources=(AMI_BLA,),
        ),
        Application(
            id="US sBLA first line",
            agency=Agency.FDA,
            kind=ApplicationType.SUPPLEMENT,
            indications=(
                "first-line locally advanced or metastatic NSCLC with EGFR exon 20 insertion mutations, with "
                "carboplatin and pemetrexed",
            ),
            note="based on the phase 3 PAPILLON study",
            sources=(AMI_CONVERTED,),
        ),
        Application(
            id="EU MAA",
            agency=Agency.EC,
            kind=ApplicationType.MAA,
            indications=(
                "advanced NSCLC with activating EGFR exon 20 insertion mutations after failure of platinum-based "
                "therapy",
            ),
            sources=(AMI_EU,),
        ),
    ),
    events=(
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.DESIGNATION_GRANTED,
            designation=Designation.BREAKTHROUGH_THERAPY,
            date=d("2020-03"),
            indication=EX20,
            sources=(AMI_BLA, AMI_APPROVAL),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.MARKETING_SUBMITTED,
            date=d("2020-12-03"),
            indication=EX20,
            application=us_bla,
            review=ReviewType.PRIORITY,
            note="Drug Discovery & Development reports that the FDA prioritised the review of the BLA",
            sources=(AMI_BLA, AMI_BLA_2, AMI_APPROVAL),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.MARKETING_APPROVED,
            date=d("2021-05-21"),
            indication=EX20,
            application=us_bla,
            pathway=Pathway.ACCELERATED,
            note="accelerated approval on overall response rate and duration of response in CHRYSALIS; "
            "Guardant360 CDx approved as companion diagnostic",
            sources=(AMI_SUMMARY, AMI_NOVEL, AMI_APPROVAL),
        ),
        RegulatoryEvent(
            agency=Agency.EC,
            kind=EventKind.MARKETING_APPROVED,
            date=d("2021-12"),
            indication=EX20,
            application="EU MAA",
            pathway=Pathway.CONDITIONAL,
            note="conditional marketing authorisation, monotherapy after failure of platinum-based therapy",
            sources=(AMI_EU,),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.APPROVAL_CONVERTED,
            date=d("2024-03-01"),
            indication=EX20,
            application=us_bla,
            pathway=Pathway.TRADITIONAL,
            note="traditional approval for the previously treated indication, on the PAPILLON results",
            sources=(AMI_CONVERTED, AMI_CONVERTED_2),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.MARKETING_APPROVED,
            date=d("2024-03-01"),
            indication="first-line NSCLC with EGFR exon 20 insertion mutations",
            application="US sBLA first line",
            pathway=Pathway.TRADITIONAL,
            note="with carboplatin and pemetrexed",
            sources=(AMI_CONVERTED, AMI_CONVERTED_2),
        ),
    ),
    parties=(
        Party(
            name="Janssen Biotech",
            role=PartyRole.ORIGINATOR,
            note="a Johnson & Johnson company",
            sources=(AMI_BLA, AMI_BLA_2),
        ),
        Party(
            name="Genmab",
            role=PartyRole.LICENSOR,
            start=p("2012"),
            note="its DuoBody bispecific platform, under a 2012 collaboration with Janssen",
            sources=(AMI_BLA_2,),
        ),
    ),
    deals=(
        Deal(
            kind=DealKind.COLLABORATION,
            date=d("2012"),
            parties=("Janssen Biotech", "Genmab"),
            note="collaboration to develop bispecific antibodies with Genmab's DuoBody technology; amivantamab "
            "is the first product of it to be filed; terms not in the cited source",
            sources=(AMI_BLA_2,),
        ),
    ),
    sources=(AMI_BLA, AMI_SUMMARY, AMI_CONVERTED, AMI_EU, AMI_SMPC),
)

# ---------------------------------------------------------------- izalontamab brengitecan
NPC = "nasopharyngeal carcinoma"
ESCC = "esophageal squamous cell carcinoma"
NSCLC = "non-small cell lung cancer"
IZ_DEAL = src(
    "SystImmune and Bristol Myers Squibb Announce a Global Strategic Collaboration Agreement for the Development "
    "and Commercialization of BL-B01D1",
    "Business Wire (via Minster Community Post)",
    "https://business.minstercommunitypost.com/minstercommunitypost/article/bizwire-2023-12-11-systimmune-and-"
    "bristol-myers-squibb-announce-a-global-strategic-collaboration-agreement-for-the-development-and-"
    "commercialization-of-bl-b01d1",
    "2023-12-11",
)
IZ_DEAL_2 = src(
    "BMS, SystImmune ink deal to develop cancer ADC",
    "Pharma Manufacturing",
    "https://www.pharmamanufacturing.com/industry-news/news/33016250/bms-systimmune-ink-cancer-adc-deal",
    "2023-12-12",
)
IZ_BTD_CN = src(
    "Sichuan Biokin: BL-B01D1 breakthrough therapy designation for esophageal squamous cell carcinoma (news item)",
    "Fineline Info & Tech (flcube)",
    "https://flcube.com/?p=4787",
    None,
)
IZ_BTD_CN_2 = src(
    "Sichuan Baili Tianheng Pharmaceutical voluntarily disclosed the inclusion of BL-B01D1 in breakthrough "
    "therapy designation",
    "MedPath",
    "https://trial.medpath.com/news/e28807ff65a19a55/sichuan-baili-tianheng-pharmaceutical-co-ltd-voluntarily-"
    "disclosed-the-inclusion-of-bl",
    None,
)
IZ_BTD_US = src(
    "FDA grants breakthrough therapy status to SystImmune, BMS lung cancer drug",
    "Investing.com (Reuters)",
    "https://ng.investing.com/news/company-news/fda-grants-breakthrough-therapy-status-to-systimmune-bms-lung-"
    "cancer-drug-93CH-2068270",
    "2025-08-18",
)
IZ_NDA_NPC = src(
    "Biokin announcement: NMPA accepts the iza-bren marketing application, nasopharyngeal carcinoma "
    "(news item, Chinese)",
    "hgjy100 news",
    "http://news.hgjy100.com/caijing/8098.html",
    None,
)
IZ_NDA_ESCC = src(
    "Iza-bren: second marketing application accepted within two months, esophageal squamous cell carcinoma "
    "(post, Chinese)",
    "Laohu note",
    "https://www.laohunote.com/m/user/39105730803552/post",
    None,
)
IZ_NDA_ESCC_2 = src(
    "Biokin announcement of 20 January: NMPA accepts the iza-bren marketing application, "
    "esophageal squamous cell carcinoma (news item, Chinese)",
    "Xueqiu",
    "https://ai.xueqiu.com/8353550788/372050751",
    None,
)
IZ_NDA_ESCC_3 = src(
    "Sichuan Biokin: iza-bren market filing accepted by NMPA for esophageal squamous cell carcinoma (news item)",
    "Fineline Info & Tech (flcube)",
    "https://flcube.com/?p=55036",
    None,
)

cn_npc, cn_escc = "CN NDA nasopharyngeal carcinoma", "CN NDA esophageal squamous cell carcinoma"
izabren = Asset(
    code="BL-B01D1",
    sponsor="Sichuan Biokin Pharmaceutical",
    modality=Modality.BISPECIFIC_ADC,
    description="EGFR x HER3 bispecific antibody-drug conjugate with a topoisomerase 1 inhibitor payload",
    aliases=(
        Alias(name="izalontamab brengitecan", kind=AliasKind.INN),
        Alias(name="iza-bren", kind=AliasKind.OTHER),
    ),
    targets=(EGFR, ERBB3),
    indications=(
        Indication(name=NPC, synonyms=("NPC",), ids=("MESH:D000077274", "MONDO:0015459")),
        Indication(name=ESCC, synonyms=("ESCC", "oesophageal squamous cell carcinoma"), ids=("MESH:D000077277",)),
        Indication(name=NSCLC, synonyms=("NSCLC",), ids=("MESH:D002289", "NCIT:C2926")),
    ),
    applications=(
        Application(
            id=cn_npc,
            agency=Agency.NMPA,
            kind=ApplicationType.NMPA_MARKETING,
            indications=("locally advanced or metastatic nasopharyngeal carcinoma",),
            note="based on the interim analysis of the phase 3 study BL-B01D1-303",
            sources=(IZ_NDA_NPC,),
        ),
        Application(
            id=cn_escc,
            agency=Agency.NMPA,
            kind=ApplicationType.NMPA_MARKETING,
            indications=(
                "recurrent or metastatic esophageal squamous cell carcinoma after PD-1/PD-L1 antibody with "
                "platinum-based chemotherapy",
            ),
            sources=(IZ_NDA_ESCC_2,),
        ),
    ),
    events=(
        RegulatoryEvent(
            agency=Agency.NMPA,
            kind=EventKind.DESIGNATION_GRANTED,
            designation=Designation.BREAKTHROUGH_THERAPY,
            date=d("2024-04"),
            indication=NPC,
            note="previously treated recurrent or metastatic nasopharyngeal carcinoma",
            sources=(IZ_BTD_CN, IZ_BTD_CN_2),
        ),
        RegulatoryEvent(
            agency=Agency.NMPA,
            kind=EventKind.DESIGNATION_GRANTED,
            designation=Designation.BREAKTHROUGH_THERAPY,
            date=d("2024-09"),
            indication="EGFR-mutated non-squamous non-small cell lung cancer",
            note="previously treated locally advanced or metastatic non-squamous NSCLC with EGFR sensitising "
            "mutations, after EGFR-TKI failure",
            sources=(IZ_BTD_CN, IZ_BTD_CN_2),
        ),
        RegulatoryEvent(
            agency=Agency.NMPA,
            kind=EventKind.DESIGNATION_GRANTED,
            designation=Designation.BREAKTHROUGH_THERAPY,
            date=d("2024-09"),
            indication="EGFR wild-type non-small cell lung cancer",
            note="previously treated locally advanced or metastatic EGFR wild-type NSCLC",
            sources=(IZ_BTD_CN, IZ_BTD_CN_2),
        ),
        RegulatoryEvent(
            agency=Agency.NMPA,
            kind=EventKind.DESIGNATION_GRANTED,
            designation=Designation.BREAKTHROUGH_THERAPY,
            date=d("2024-10"),
            indication=ESCC,
            note="recurrent or metastatic ESCC after PD-1/PD-L1 antibody with platinum-based chemotherapy",
            sources=(IZ_BTD_CN_2,),
        ),
        RegulatoryEvent(
            agency=Agency.FDA,
            kind=EventKind.DESIGNATION_GRANTED,
            designation=Designation.BREAKTHROUGH_THERAPY,
            date=d("on or before 2025-08-18"),
            indication="EGFR-mutated non-small cell lung cancer",
            disclosed=p("2025-08-18"),
            note="EGFR exon 19 deletion or exon 21 L858R NSCLC progressed on or after an EGFR TKI and "
            "platinum-based chemotherapy",
            sources=(IZ_BTD_US,),
        ),
        RegulatoryEvent(
            agency=Agency.NMPA,
            kind=EventKind.MARKETING_ACCEPTED,
            date=d("2025-11"),
            indication=NPC,
            application=cn_npc,
            review=ReviewType.PRIORITY,
            note="accepted in late November 2025 (per Laohu note); included in the CDE priority review list; "
            "the first EGFR x HER3 bispecific ADC with an accepted marketing application",
            sources=(IZ_NDA_NPC, IZ_NDA_ESCC),
        ),
        RegulatoryEvent(
            agency=Agency.NMPA,
            kind=EventKind.MARKETING_ACCEPTED,
            date=d("on or before 2026-01-20"),
            indication=ESCC,
            application=cn_escc,
            review=ReviewType.PRIORITY,
            disclosed=p("2026-01-20"),
            note="announced by the company on the evening of 20 January 2026; included in the CDE priority review list",
            sources=(IZ_NDA_ESCC_2, IZ_NDA_ESCC, IZ_NDA_ESCC_3),
        ),
    ),
    parties=(
        Party(
            name="Sichuan Biokin Pharmaceutical",
            role=PartyRole.ORIGINATOR,
            end=p("2023-12"),
            note="held worldwide rights until the agreement with Bristol Myers Squibb",
            sources=(IZ_DEAL, IZ_DEAL_2),
        ),
        Party(
            name="Sichuan Biokin Pharmaceutical",
            role=PartyRole.ORIGINATOR,
            territory=Territory(countries=("CN",)),
            start=p("2023-12"),
            note="keeps exclusive rights in mainland China (through its affiliates) and manufactures certain "
            "supplies for use outside it",
            sources=(IZ_DEAL, IZ_DEAL_2),
        ),
        Party(
            name="SystImmune",
            role=PartyRole.CO_DEVELOPER,
            territory=Territory(countries=("US",)),
            start=p("2023-12"),
            disclosed=p("2023-12-11"),
            note="US subsidiary of Sichuan Biokin Pharmaceutical",
            sources=(IZ_DEAL, IZ_DEAL_2),
        ),
        Party(
            name="SystImmune",
            role=PartyRole.CO_COMMERCIALIZER,
            territory=Territory(countries=("US",)),
            start=p("2023-12"),
            disclosed=p("2023-12-11"),
            sources=(IZ_DEAL,),
        ),
        Party(
            name="Bristol Myers Squibb",
            role=PartyRole.LICENSEE,
            territory=Territory(worldwide=True, excluding=("CN", "US")),
            start=p("2023-12"),
            disclosed=p("2023-12-11"),
            note="exclusive licence and sole responsibility for development and commercialisation outside "
            "mainland China and the United States",
            sources=(IZ_DEAL, IZ_DEAL_2),
        ),
        Party(
            name="Bristol Myers Squibb",
            role=PartyRole.CO_DEVELOPER,
            territory=Territory(countries=("US",)),
            start=p("2023-12"),
            disclosed=p("2023-12-11"),
            sources=(IZ_DEAL, IZ_DEAL_2),
        ),
        Party(
            name="Bristol Myers Squibb",
            role=PartyRole.CO_COMMERCIALIZER,
            territory=Territory(countries=("US",)),
            start=p("2023-12"),
            disclosed=p("2023-12-11"),
            sources=(IZ_DEAL,),
        ),
    ),
    deals=(
        Deal(
            kind=DealKind.LICENSE,
            date=d("on or before 2023-12-11"),
            parties=("SystImmune", "Bristol Myers Squibb"),
            territory=Territory(worldwide=True, excluding=("CN",)),
            upfront=Money(amount=800_000_000, currency="USD"),
            total=Money(amount=8_400_000_000, currency="USD"),
            disclosed=p("2023-12-11"),
            note="exclusive licence and collaboration: co-development and co-commercialisation in the US, "
            "Bristol Myers Squibb alone in the rest of the world outside mainland China; up to USD 500 million "
            "in contingent near-term payments and up to USD 7.1 billion in milestones; global development "
            "costs and US profits and losses shared",
            sources=(IZ_DEAL, IZ_DEAL_2),
        ),
    ),
    sources=(IZ_DEAL, IZ_BTD_CN, IZ_BTD_US, IZ_NDA_NPC, IZ_NDA_ESCC_2),
)

for name, asset in (
    ("patritumab_deruxtecan", patritumab),
    ("amivantamab", amivantamab),
    ("izalontamab_brengitecan", izabren),
):
    (OUT / f"{name}.json").write_text(biopipe.dumps(asset), encoding="utf-8")
    print(name, "written")
