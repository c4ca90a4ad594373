package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// standInTLS is what the stand-ins need to speak HTTPS as the platforms
// do: a certificate of their own for the loopback addresses, and the file
// a started server is told to trust (SSL_CERT_FILE, which Go reads on
// Linux in place of the system's roots), so that it reaches them through
// its production transport — TLS, and HTTP/2 negotiated by ALPN, as
// api.line.me and slack.com are reached.
type standInTLS struct {
	config   *tls.Config
	certFile string // PEM of the certificate, which is its own CA
	dir      string // removed by close
}

// newStandInTLS makes a self-signed ECDSA P-256 certificate valid for a
// day for 127.0.0.1, ::1 and localhost, and writes it to a file of its
// own.
func newStandInTLS() (*standInTLS, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("stand-in certificate: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("stand-in certificate: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"supportbot loadgen stand-in"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("stand-in certificate: %w", err)
	}
	dir, err := os.MkdirTemp("", "loadgen-tls-")
	if err != nil {
		return nil, err
	}
	certFile := filepath.Join(dir, "standin.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("stand-in certificate: %w", err)
	}
	return &standInTLS{
		config: &tls.Config{
			Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
			MinVersion:   tls.VersionTLS12,
		},
		certFile: certFile,
		dir:      dir,
	}, nil
}

func (t *standInTLS) close() {
	if t != nil {
		os.RemoveAll(t.dir)
	}
}
