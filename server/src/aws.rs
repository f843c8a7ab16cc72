//! The AWS SDK's shared configuration, one way for every client (the S3
//! lake, the EventBridge bus of the ingest job): rustls with ring as the
//! only TLS stack, the region given or the default chain's, credentials from
//! the default chain (the ECS task role in AWS). An endpoint override comes
//! from the SDK's own variables (`AWS_ENDPOINT_URL_<SERVICE>`) or the
//! client's settings.

use aws_config::SdkConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

/// The shared configuration, in `region` when given.
pub async fn shared_config(region: Option<&str>) -> SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http);
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_owned()));
    }
    loader.load().await
}
