package kms

import (
	"encoding/asn1"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// Go's crypto/x509 does not know secp256k1, so its SubjectPublicKeyInfo and
// PKCS #8 forms are built here (RFC 5480, RFC 5915, RFC 5208).

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.ObjectIdentifier
}

type subjectPublicKeyInfo struct {
	Algorithm algorithmIdentifier
	PublicKey asn1.BitString
}

// marshalK1PublicKey returns pub as DER SubjectPublicKeyInfo with an
// uncompressed point, the form KMS's GetPublicKey returns.
func marshalK1PublicKey(pub *secp256k1.PublicKey) []byte {
	pt := pub.SerializeUncompressed()
	der, err := asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: algorithmIdentifier{Algorithm: oidECPublicKey, Parameters: oidSecp256k1},
		PublicKey: asn1.BitString{Bytes: pt, BitLength: len(pt) * 8},
	})
	if err != nil {
		panic("kms: marshal secp256k1 public key: " + err.Error()) // fixed shapes cannot fail
	}
	return der
}

type ecPrivateKey struct {
	Version    int
	PrivateKey []byte
	PublicKey  asn1.BitString `asn1:"optional,explicit,tag:1"`
}

type pkcs8 struct {
	Version    int
	Algorithm  algorithmIdentifier
	PrivateKey []byte
}

// marshalK1PKCS8 returns priv as DER PKCS #8, with the curve in the
// algorithm identifier and the public key inside the ECPrivateKey.
func marshalK1PKCS8(priv *secp256k1.PrivateKey) []byte {
	pt := priv.PubKey().SerializeUncompressed()
	scalar := priv.Key.Bytes()
	inner, err := asn1.Marshal(ecPrivateKey{
		Version:    1,
		PrivateKey: scalar[:],
		PublicKey:  asn1.BitString{Bytes: pt, BitLength: len(pt) * 8},
	})
	if err != nil {
		panic("kms: marshal secp256k1 private key: " + err.Error())
	}
	der, err := asn1.Marshal(pkcs8{
		Algorithm:  algorithmIdentifier{Algorithm: oidECPublicKey, Parameters: oidSecp256k1},
		PrivateKey: inner,
	})
	if err != nil {
		panic("kms: marshal secp256k1 pkcs8: " + err.Error())
	}
	return der
}
