"""Interoperability with other formats: ClinicalTrials.gov, FHIR R5 and columnar tables."""
