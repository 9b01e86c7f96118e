from django.apps import AppConfig


class PortailConfig(AppConfig):
    """The site layer at the top: home and axis pages, the composition of the demo data.
    No app imports it."""

    name = "osezia.portail"
    verbose_name = "Portail"

    def ready(self):
        from osezia.socle import site

        # The DSFR shell of socle shows these links (socle names no upper app).
        site.register_home("portail:accueil")
        site.register_navigation("Accueil", "portail:accueil")
        site.register_navigation("Sensibiliser", "portail:axe", "sensibiliser")
        site.register_navigation("Ambassadeurs IA", "ambassadeurs:annuaire", section=True)
        site.register_navigation("Former", "portail:axe", "former")
        site.register_navigation("Académie de l'IA", "academie:accueil", section=True)
        site.register_navigation("Accompagner", "portail:axe", "accompagner")
        site.register_navigation("Autodiagnostic", "diagnostics:demarrer", section=True)
        site.register_navigation("Catalogue de solutions", "catalogue:liste", section=True)
        site.register_navigation("Consultations", "consultation:liste", section=True)
        site.register_navigation("Observatoire", "portail:observatoire")
        site.register_account("Mon espace", "comptes:espace")
        site.register_footer_link("Plan du site", "portail:plan_du_site")
        site.register_footer_link("Contact", "portail:contact")
        site.register_footer_link("Accessibilité : non conforme", "portail:accessibilite")
        site.register_footer_link("Mentions légales", "portail:mentions_legales")
        site.register_footer_link("Données personnelles", "portail:donnees_personnelles")
        site.register_footer_link("API", "api-1.0.0:openapi-view")
