"""Demo Académie: 150 invented trainings, 40 tutorials and the learning paths (`data/demo_*`),
loaded through the same services as an LHEO import; a training organisation account; a few
enrolments and completions of the demo learners. Idempotent."""

import json
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from osezia.socle.demo import DemoContext

from . import services
from .lheo import Lu
from .models import Formation, Inscription, OrganismeFormation, Parcours, Tutoriel

DATA = Path(__file__).resolve().parent / "data"
# The demo sessions are written for a calendar starting on this day; they are moved by the
# time elapsed since, so that a fresh demo always shows sessions to come.
REFERENCE_DAY = date(2026, 12, 1)
TRAINER = "formation@demo.osez-ia.fr"
JOB_SEEKER = "apprenant@demo.osez-ia.fr"
EMPLOYEE = "salarie@demo.osez-ia.fr"


def size() -> int:
    return 1


def _shifted(value: str | None, days: int) -> str | None:
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat() if value else value


def _trainings(today: date):
    shift = (today - REFERENCE_DAY).days
    with open(DATA / "demo_formations.jsonl", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            for action in data["actions"]:
                for session in action["sessions"]:
                    session["debut"] = _shifted(session["debut"], shift)
                    session["fin"] = _shifted(session["fin"], shift)
            yield Lu(number, f"demo_formations.jsonl:{number}", data)


def _learners(context: DemoContext, first: Formation | None) -> None:
    """The job seeker enrols in a session to come and passes a tutorial's quiz; the employee
    followed last month's session, which the training organisation records. Once: nothing
    is added when demo enrolments exist."""
    trainer = context.users.get(TRAINER)
    if first is None or Inscription.objects.filter(session__isnull=False).exists():
        return
    learners = [
        (context.users.get(JOB_SEEKER), "DEMANDEUR_EMPLOI", "93"),
        (context.users.get(EMPLOYEE), "SALARIE", "69"),
    ]
    today = timezone.localdate()
    sessions = [s for a in first.actions.all() for s in a.sessions.all()]
    upcoming = [s for s in sessions if s.ouverte and s.debut and s.debut > today]
    past = [s for s in sessions if s.debut and s.fin and s.fin < today]
    for learner, public, departement in learners:
        if learner:
            services.set_profile(learner, public, departement)
    job_seeker, employee = learners[0][0], learners[1][0]
    if job_seeker and upcoming:
        # The first demo training aims at employees: the job seeker confirmed enrolling anyway.
        services.enrol(job_seeker, upcoming[0].pk, outside_audience_confirmed=True)
    if employee and trainer and past:
        code = employee.profil_apprenant.code_apprenant
        services.record_attendance(trainer, past[0], employee.email, code)
    tutorial = Tutoriel.objects.order_by("slug").first()
    if tutorial and job_seeker:
        services.submit_quiz(job_seeker, tutorial, [q["reponse"] for q in tutorial.quiz])


def seed(context: DemoContext) -> None:
    from osezia.recherche import services as recherche

    report = services.import_trainings(_trainings(timezone.localdate()), "demo")
    if report.errors:
        raise ValidationError([f"{path} : {message}" for path, message in report.errors])
    tutorials_before, paths_before = Tutoriel.objects.count(), Parcours.objects.count()
    with open(DATA / "demo_tutoriels.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                services.save_tutoriel(json.loads(line))
    with open(DATA / "demo_parcours.json", encoding="utf-8") as handle:
        for item in json.load(handle)["parcours"]:
            services.save_parcours(item)
    trainer = context.users.get(TRAINER)
    first = Formation.objects.filter(reference="DEMO-F-001").select_related("organisme").first()
    if trainer and first and not first.organisme.membres.filter(pk=trainer.pk).exists():
        services.add_member(first.organisme, trainer)
    _learners(context, first)
    recherche.finish_after_import(rebuild_types=("formation", "tutoriel"))
    context.count("formations", report.created)
    context.count("tutoriels", Tutoriel.objects.count() - tutorials_before)
    context.count("parcours", Parcours.objects.count() - paths_before)
    context.created["organismes"] = OrganismeFormation.objects.count()
    context.advance()
