//! The https listener's certificates: a CA made for this endpoint and a leaf it signs for its
//! loopback address and `localhost` (rustls refuses a self-signed certificate used as its own
//! CA), and the rustls server configuration (ring, http/1.1) serving the leaf.

use std::io;
use std::net::Ipv4Addr;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};
use tokio_rustls::TlsAcceptor;

/// The CA to trust and the acceptor that serves the leaf it signed.
pub(super) struct Tls {
    /// The CA certificate, PEM.
    pub(super) ca_pem: String,
    /// Accepts TLS connections with the leaf certificate.
    pub(super) acceptor: TlsAcceptor,
}

/// A new CA and a leaf for `ip` and `localhost`, valid from a day ago for a year.
pub(super) fn generate(ip: Ipv4Addr) -> io::Result<Tls> {
    let certificate_error =
        |error: rcgen::Error| io::Error::other(format!("cannot make the certificates: {error}"));
    let not_before = OffsetDateTime::now_utc() - Duration::days(1);
    let not_after = not_before + Duration::days(366);

    let ca_key = KeyPair::generate().map_err(certificate_error)?;
    let mut ca = CertificateParams::new(Vec::new()).map_err(certificate_error)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name
        .push(DnType::CommonName, "azrm-runtime local endpoint CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    (ca.not_before, ca.not_after) = (not_before, not_after);
    let ca_certificate = ca.self_signed(&ca_key).map_err(certificate_error)?;
    let issuer = Issuer::new(ca, ca_key);

    let leaf_key = KeyPair::generate().map_err(certificate_error)?;
    let mut leaf = CertificateParams::new(vec![ip.to_string(), "localhost".to_owned()])
        .map_err(certificate_error)?;
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.distinguished_name
        .push(DnType::CommonName, "azrm-runtime local endpoint");
    leaf.use_authority_key_identifier_extension = true;
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    (leaf.not_before, leaf.not_after) = (not_before, not_after);
    let leaf_certificate = leaf
        .signed_by(&leaf_key, &issuer)
        .map_err(certificate_error)?;

    let tls_error =
        |error: rustls::Error| io::Error::other(format!("cannot configure TLS: {error}"));
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_no_client_auth()
            .with_single_cert(vec![leaf_certificate.der().clone()], key)
            .map_err(tls_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        ca_pem: ca_certificate.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}
