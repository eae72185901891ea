"""The rep's what-if on the page, over a store whose stages are spelled as a CRM spells them: the
deals offered are open ones only, and a picked deal is priced by the engine, in its currency."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from sqlalchemy import delete, insert, select, update
from web_client import log_in, make_client
from web_company import Company

from attain.comp import plan_versions
from attain.comp.plan_versions.schema import PlanVersionRecord
from attain.data.schema import Deal, DealStage
from attain.data.store import get_engine
from attain.web.deps import today

CRM_NAMES = {
    "prospecting": "Prospecting",
    "qualification": "Qualifying",
    "proposal": "Proposal Sent",
    "negotiation": "Engaging",
    "won": "Won",
    "lost": "Lost",
}


def _respell(company: Company) -> None:
    engine = get_engine(company.url)
    with engine.begin() as conn:
        catalog = conn.execute(select(DealStage)).all()
        assert {r.name for r in catalog} == set(CRM_NAMES)
        conn.execute(delete(DealStage))
        conn.execute(
            insert(DealStage),
            [
                {
                    "name": CRM_NAMES[r.name],
                    "position": r.position,
                    "category": r.category,
                    "probability": r.probability,
                }
                for r in catalog
            ],
        )
        for old, new in CRM_NAMES.items():
            conn.execute(update(Deal).where(Deal.stage == old).values(stage=new))
    # ... and the published plans count what the CRM calls won
    plan_versions.ensure_seeded(engine)
    with engine.begin() as conn:
        for v in conn.execute(select(PlanVersionRecord)).all():
            text = v.text.replace('stage == "won"', 'stage == "Won"')
            conn.execute(
                update(PlanVersionRecord)
                .where(PlanVersionRecord.plan == v.plan, PlanVersionRecord.version == v.version)
                .values(text=text)
            )


def test_the_rep_is_offered_open_deals_only_and_a_pick_is_priced(company: Company) -> None:
    _respell(company)
    with make_client(company) as c:
        csrf = log_in(c, "rep")
        page = c.get("/me").text
        offered = re.findall(r'name="deals" value="([^"]+)"', page)
        assert offered, "the rep has open deals to pick"
        with get_engine(company.url).connect() as conn:
            rows = conn.execute(
                select(Deal.id, Deal.stage, Deal.close_date).where(Deal.id.in_(offered))
            ).all()
        assert {r.stage for r in rows} <= {"Prospecting", "Qualifying", "Proposal Sent", "Engaging"}
        this_year = [r.id for r in rows if max(r.close_date, today()).year == today().year]
        r = c.post(f"/payees/{company.rep}/whatif", data={"csrf": csrf, "deals": this_year[0]})
    assert r.status_code == 200
    estimates = r.text.split('id="estimates"', 1)[1].split("</table>", 1)[0]
    extra = re.findall(r'class="extra">(\w{3})\s([^<]+)</strong>', html.unescape(estimates))
    assert extra and all(currency == "USD" for currency, _ in extra)
    assert sum(Decimal(x.replace(",", "")) for _, x in extra) > 0
