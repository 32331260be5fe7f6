"""AUTH-2 with SAML 2.0 (allauth's SAML provider on python3-saml/xmlsec): the hub sends an
AuthnRequest to the organization's IdP and signs in the user from a signed assertion. The IdP here
is the test itself: it answers the real AuthnRequest with an assertion signed by xmlsec, which the
hub verifies against the certificate staff configured — nothing in the hub is stubbed."""

import base64
import datetime
import uuid
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from hub.sso.models import OrganizationSignIn
from hub.sso.services import ProviderSettings, save_sign_in_settings

from ..factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
IDP_ENTITY = "https://idp.northwind.example/saml/metadata"
IDP_SSO = "https://idp.northwind.example/saml/sso"
HOST = "127.0.0.1"


def make_idp_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


IDP_KEY, IDP_CERT = make_idp_key()


@pytest.fixture
def saml_northwind(cast):
    # SAML providers rarely assert that an address is verified; staff trust the organization's IdP.
    sign_in = OrganizationSignIn(organization=cast.northwind, provider_id="sso-saml-northwind", is_sso_enabled=True,
                                 trust_provider_email=True)
    return save_sign_in_settings(actor=StaffUserFactory(), sign_in=sign_in, provider=ProviderSettings(
        protocol="saml", saml_entity_id=IDP_ENTITY, saml_sso_url=IDP_SSO, saml_x509cert=IDP_CERT))


def _instant(delta=0):
    return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def idp_answer(authn_request_url, email, *, sign=True, key=IDP_KEY, cert=IDP_CERT):
    """What the IdP posts back: a Response to the AuthnRequest with a signed assertion."""
    query = parse_qs(urlsplit(authn_request_url).query)
    request_xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    request_id = request_xml.split(' ID="', 1)[1].split('"', 1)[0]
    acs = request_xml.split('AssertionConsumerServiceURL="', 1)[1].split('"', 1)[0]
    sp_entity = request_xml.split("<saml:Issuer>", 1)[1].split("</saml:Issuer>", 1)[0]
    assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant()}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{_instant(300)}" Recipient="{acs}" InResponseTo="{request_id}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{_instant(-60)}" NotOnOrAfter="{_instant(300)}"><saml:AudienceRestriction><saml:Audience>{sp_entity}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{_instant()}" SessionIndex="_s{uuid.uuid4().hex}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue xsi:type="xs:string">{email}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>"""
    if sign:
        assertion = OneLogin_Saml2_Utils.add_sign(assertion, key, cert)
        assertion = assertion.decode() if isinstance(assertion, bytes) else assertion
        assertion = assertion.replace('<?xml version="1.0"?>', "").strip()
    response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant()}" Destination="{acs}" InResponseTo="{request_id}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{assertion}</samlp:Response>"""
    return urlsplit(acs).path, {"SAMLResponse": base64.b64encode(response.encode()).decode(),
                                "RelayState": query.get("RelayState", [""])[0]}


def saml_round_trip(client, organization_id, email, **answer):
    page = client.post("/accounts/sso/", {"organization_id": organization_id})
    assert page.status_code == 200, page.content.decode()[:1000]
    assert page.context["provider_url"].startswith(IDP_SSO + "?SAMLRequest=")
    acs_path, form = idp_answer(page.context["provider_url"], email, **answer)
    finish = client.post(acs_path, form)
    assert finish.status_code == 302
    return client.get(finish["Location"])


@pytest.fixture
def saml_client():
    return Client(HTTP_HOST=HOST)


def test_a_signed_assertion_signs_the_matching_user_of_that_organization_in(saml_client, cast, saml_northwind):
    response = saml_round_trip(saml_client, cast.northwind.public_id, cast.brand_admin.email)
    assert response.status_code == 302 and response["Location"] == "/"
    assert saml_client.get("/").wsgi_request.user == cast.brand_admin


def test_a_user_of_another_organization_with_the_same_email_is_refused(saml_client, cast, saml_northwind):
    outsider = UserFactory(organization=cast.other, email="someone@contoso.example")
    response = saml_round_trip(saml_client, cast.northwind.public_id, outsider.email)
    assert response.status_code == 403
    assert "There is no active account for someone@contoso.example" in response.content.decode()
    assert not saml_client.get("/").wsgi_request.user.is_authenticated


def test_an_unsigned_or_wrongly_signed_assertion_signs_nobody_in(saml_client, cast, saml_northwind):
    assert saml_round_trip(saml_client, cast.northwind.public_id, cast.brand_admin.email, sign=False).status_code != 302
    other_key, other_cert = make_idp_key()
    response = saml_round_trip(saml_client, cast.northwind.public_id, cast.brand_admin.email,
                               key=other_key, cert=other_cert)
    assert response.status_code != 302
    assert not saml_client.get("/").wsgi_request.user.is_authenticated


def test_without_trust_an_unverified_saml_address_is_refused(saml_client, cast, saml_northwind):
    OrganizationSignIn.objects.filter(pk=saml_northwind.pk).update(trust_provider_email=False)
    response = saml_round_trip(saml_client, cast.northwind.public_id, cast.brand_admin.email)
    assert response.status_code == 403
    assert "did not confirm your email address" in response.content.decode()
