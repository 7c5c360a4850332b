//! The outbox over SMTP, against a minimal SMTP peer on a local port.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::shopper::{Shopper, scalar, variant_with_stock};
use crate::support::spawn;

/// Accepts one session and returns the message data it received.
async fn smtp_peer(listener: tokio::net::TcpListener) -> String {
    let (stream, _) = listener.accept().await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 test ESMTP\r\n").await.unwrap();
    let mut data = String::new();
    let mut in_data = false;
    while let Some(line) = lines.next_line().await.unwrap() {
        if in_data {
            if line == "." {
                in_data = false;
                write.write_all(b"250 queued\r\n").await.unwrap();
            } else {
                data.push_str(&line);
                data.push('\n');
            }
            continue;
        }
        let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 test\r\n",
            "DATA" => {
                in_data = true;
                b"354 go ahead\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            }
            _ => b"250 ok\r\n",
        };
        write.write_all(reply).await.unwrap();
    }
    data
}

#[tokio::test]
async fn notifications_go_out_by_smtp_when_configured() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 2).await;
    let mut s = Shopper::new(&app);
    s.add_variant(variant, 1).await;
    s.checkout("cod").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let peer = tokio::spawn(smtp_peer(listener));
    let mailer = server::jobs::Mailer::new(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "OCOP Market <no-reply@localhost>",
        app.dir.join("unused"),
    )
    .unwrap();
    assert_eq!(server::jobs::deliver_outbox(&app.state.store, &mailer).await.unwrap(), 1);
    let data = peer.await.unwrap();
    assert!(data.contains("To: hoa@example.vn"), "{data}");
    assert!(data.contains("Subject:"), "{data}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notifications WHERE status = 'sent'").await, 1);
    assert!(!app.dir.join("unused").exists(), "nothing written to files when SMTP is set");
}
