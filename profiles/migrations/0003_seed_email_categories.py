"""PREF-2: the four email categories, with their names and descriptions in every shipped
language. Staff edit them in the admin afterwards; this migration never overwrites an edit."""

from django.db import migrations

CATEGORIES = [
    {
        "key": "personalized_learning", "position": 10, "audience": "everyone", "is_always_on": False,
        "name": "Personalized learning",
        "description": "Course recommendations, learning paths and certification reminders chosen for how you use the product.",
        "translations": {
            "de": ("Personalisiertes Lernen", "Kursempfehlungen, Lernpfade und Erinnerungen an Zertifizierungen, abgestimmt darauf, wie Sie das Produkt nutzen."),
            "fr": ("Formation personnalisée", "Recommandations de cours, parcours d’apprentissage et rappels de certification adaptés à votre utilisation du produit."),
            "it": ("Formazione personalizzata", "Corsi consigliati, percorsi di apprendimento e promemoria sulle certificazioni, scelti in base a come usi il prodotto."),
            "pt-br": ("Aprendizado personalizado", "Recomendações de cursos, trilhas de aprendizado e lembretes de certificação escolhidos conforme o seu uso do produto."),
            "es": ("Aprendizaje personalizado", "Recomendaciones de cursos, rutas de aprendizaje y recordatorios de certificación adaptados a cómo usa el producto."),
            "nl": ("Persoonlijk leren", "Cursusaanbevelingen, leerpaden en herinneringen voor certificeringen, afgestemd op hoe u het product gebruikt."),
            "ja": ("パーソナライズされた学習", "製品のご利用状況に合わせたコースのおすすめ、ラーニングパス、認定資格のリマインダー。"),
        },
    },
    {
        "key": "news_and_updates", "position": 20, "audience": "everyone", "is_always_on": False,
        "name": "News & updates",
        "description": "Product announcements, release highlights and tips to get more out of the product.",
        "translations": {
            "de": ("Neuigkeiten und Updates", "Produktankündigungen, Highlights neuer Versionen und Tipps, wie Sie mehr aus dem Produkt herausholen."),
            "fr": ("Actualités et nouveautés", "Annonces produit, points forts des nouvelles versions et conseils pour tirer le meilleur parti du produit."),
            "it": ("Novità e aggiornamenti", "Annunci di prodotto, novità delle nuove versioni e consigli per ottenere di più dal prodotto."),
            "pt-br": ("Novidades e atualizações", "Anúncios de produto, destaques das novas versões e dicas para aproveitar melhor o produto."),
            "es": ("Noticias y novedades", "Anuncios de producto, novedades de cada versión y consejos para sacar más partido al producto."),
            "nl": ("Nieuws en updates", "Productaankondigingen, hoogtepunten van nieuwe versies en tips om meer uit het product te halen."),
            "ja": ("ニュースとアップデート", "製品のお知らせ、新しいリリースのハイライト、製品をさらに活用するためのヒント。"),
        },
    },
    {
        "key": "customer_events", "position": 30, "audience": "everyone", "is_always_on": False,
        "name": "Customer events",
        "description": "Invitations to webinars, user groups and conferences, online and near you.",
        "translations": {
            "de": ("Kundenveranstaltungen", "Einladungen zu Webinaren, Anwendertreffen und Konferenzen, online und in Ihrer Nähe."),
            "fr": ("Événements clients", "Invitations à des webinaires, groupes d’utilisateurs et conférences, en ligne et près de chez vous."),
            "it": ("Eventi per i clienti", "Inviti a webinar, gruppi di utenti e conferenze, online e vicino a te."),
            "pt-br": ("Eventos para clientes", "Convites para webinars, grupos de usuários e conferências, online e perto de você."),
            "es": ("Eventos para clientes", "Invitaciones a seminarios web, grupos de usuarios y conferencias, en línea y cerca de usted."),
            "nl": ("Klantevenementen", "Uitnodigingen voor webinars, gebruikersgroepen en conferenties, online en bij u in de buurt."),
            "ja": ("お客様向けイベント", "ウェビナー、ユーザーグループ、カンファレンスへのご招待（オンラインおよびお近くの会場）。"),
        },
    },
    {
        "key": "operational_updates", "position": 40, "audience": "brand_admins", "is_always_on": True,
        "name": "Operational updates",
        "description": "Planned maintenance, service changes, security notices and other information about your organization's service.",
        "translations": {
            "de": ("Betriebsinformationen", "Geplante Wartungen, Änderungen am Service, Sicherheitshinweise und weitere Informationen zum Service Ihrer Organisation."),
            "fr": ("Informations opérationnelles", "Maintenances planifiées, évolutions du service, avis de sécurité et autres informations sur le service de votre organisation."),
            "it": ("Aggiornamenti operativi", "Manutenzioni programmate, modifiche al servizio, avvisi di sicurezza e altre informazioni sul servizio della tua organizzazione."),
            "pt-br": ("Atualizações operacionais", "Manutenções programadas, mudanças no serviço, avisos de segurança e outras informações sobre o serviço da sua organização."),
            "es": ("Avisos operativos", "Mantenimientos programados, cambios en el servicio, avisos de seguridad y otra información sobre el servicio de su organización."),
            "nl": ("Operationele updates", "Gepland onderhoud, wijzigingen in de dienst, beveiligingsmeldingen en andere informatie over de dienst van uw organisatie."),
            "ja": ("運用に関するお知らせ", "計画メンテナンス、サービスの変更、セキュリティに関するお知らせなど、組織のサービスに関する情報。"),
        },
    },
]


def seed(apps, schema_editor):
    EmailCategory = apps.get_model("profiles", "EmailCategory")
    EmailCategoryTranslation = apps.get_model("profiles", "EmailCategoryTranslation")
    for spec in CATEGORIES:
        spec = dict(spec)
        translations = spec.pop("translations")
        category, created = EmailCategory.objects.get_or_create(key=spec.pop("key"), defaults=spec)
        if not created:
            continue
        for language, (name, description) in translations.items():
            EmailCategoryTranslation.objects.get_or_create(
                category=category, language=language, defaults={"name": name, "description": description}
            )


class Migration(migrations.Migration):
    dependencies = [("profiles", "0002_email_preferences")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
