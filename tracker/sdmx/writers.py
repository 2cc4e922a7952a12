"""SDMX messages written one observation at a time: SDMX-ML 2.1 generic data (every
dimension at the observation, so nothing is grouped in memory) and SDMX-CSV 1.0."""

import csv
from collections.abc import Iterable
from functools import lru_cache
from typing import TextIO
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from flask_babel import gettext as _
from sqlmodel import Session

from tracker.cities.models import City
from tracker.sdmx.codes import AGENCY, ATTRIBUTES, DATAFLOW, DIMENSIONS, DSD_ID, DSD_VERSION, TIME
from tracker.sdmx.export import SdmxObservation, SdmxReport, check_settings, sdmx_observations

NS = ('xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
      'xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" '
      'xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"')
FORMATS = ("ml", "csv")


def approval_note(city: City, report: SdmxReport) -> str:
    """The note a message carries: whose values, approved as of when."""
    return str(_("Approved values of %(city)s as of %(time)s, exported by the SDG "
                 "localisation tracker.", city=city.name, time=report.stamp))


def ml_header(city: City, report: SdmxReport) -> str:
    """The message header: id, preparation time, sender, the DSD and the note."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<message:GenericData {NS}>\n'
            f"<message:Header><message:ID>TRACKER_{report.as_of:%Y%m%d%H%M%S}</message:ID>"
            f"<message:Test>false</message:Test>"
            f"<message:Prepared>{report.as_of:%Y-%m-%dT%H:%M:%S}</message:Prepared>"
            f'<message:Sender id="SDG_TRACKER"/>'
            f'<message:Structure structureID="SDG_DSD" dimensionAtObservation="AllDimensions">'
            f'<common:Structure><Ref agencyID="{AGENCY}" id="{DSD_ID}" '
            f'version="{DSD_VERSION}"/></common:Structure></message:Structure>'
            f'<message:Source xml:lang="en">{xml_escape(approval_note(city, report))}'
            f"</message:Source></message:Header>\n"
            f'<message:DataSet structureRef="SDG_DSD">\n')


@lru_cache(maxsize=8192)
def value_element(concept: str, value: str) -> str:
    """One concept's value; codes repeat from one observation to the next, so each is
    escaped once."""
    return f'<generic:Value id="{concept}" value={quoteattr(value)}/>'


def ml_observation(observation: SdmxObservation) -> str:
    """One generic observation: its whole key, its value and its attributes."""
    values = "".join([value_element(k, v) for k, v in observation.key.items()])
    attributes = "".join([value_element(k, v) for k, v in observation.attributes.items()
                          if v])
    return (f"<generic:Obs><generic:ObsKey>{values}</generic:ObsKey>"
            f"<generic:ObsValue value={quoteattr(observation.value)}/>"
            f"<generic:Attributes>{attributes}</generic:Attributes></generic:Obs>\n")


def write_ml(out: TextIO, city: City, observations: Iterable[SdmxObservation],
             report: SdmxReport) -> None:
    """Write an SDMX-ML 2.1 generic data message."""
    out.write(ml_header(city, report))
    for observation in observations:
        out.write(ml_observation(observation))
    out.write("</message:DataSet>\n</message:GenericData>\n")


def write_csv(out: TextIO, observations: Iterable[SdmxObservation]) -> None:
    """Write SDMX-CSV 1.0: the dataflow, the key, OBS_VALUE and the attributes."""
    sheet = csv.writer(out, lineterminator="\n")
    sheet.writerow(["DATAFLOW", *DIMENSIONS, TIME, "OBS_VALUE", *ATTRIBUTES])
    for observation in observations:
        sheet.writerow([DATAFLOW, *(observation.key[d] for d in [*DIMENSIONS, TIME]),
                        observation.value,
                        *(observation.attributes.get(a, "") for a in ATTRIBUTES)])


def export_sdmx(session: Session, city: City, fmt: str, reporting_type: str,
                out: TextIO) -> SdmxReport:
    """Write the city's approved values as an SDMX message ("ml" or "csv"); raise SdmxError
    before writing anything when the export cannot be valid."""
    check_settings(city, reporting_type)
    report = SdmxReport()
    observations = sdmx_observations(session, city, reporting_type, report)
    if fmt == "ml":
        write_ml(out, city, observations, report)
    else:
        write_csv(out, observations)
    return report
