package kms

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// material is one key version's usable form, built once from the sealed
// bytes and cached.
type material struct {
	aead cipher.AEAD // SYMMETRIC_DEFAULT
	// nonceKey keys the synthetic GCM nonces (SYMMETRIC_DEFAULT).
	nonceKey []byte
	rsa      *rsa.PrivateKey       // RSA_*
	ec       *ecdsa.PrivateKey     // ECC_NIST_*
	k1       *secp256k1.PrivateKey // ECC_SECG_P256K1
	mac      []byte                // HMAC_*
	spki     []byte                // DER SubjectPublicKeyInfo (asymmetric keys)
}

// newMaterial generates raw key material for spec: AES and HMAC keys and EC
// scalars come from env.Rand (deterministic when the sandbox is seeded).
// RSA keys come from Go's RSA generator, which since Go 1.26 always uses
// the system's secure randomness.
func (s *Service) newMaterial(spec string) ([]byte, error) {
	info, ok := specs[spec]
	if !ok {
		return nil, fmt.Errorf("unsupported key spec %s", spec)
	}
	switch {
	case spec == specSymmetric:
		b := make([]byte, 32)
		return b, s.random(b)
	case info.macBytes > 0:
		b := make([]byte, info.macBytes)
		return b, s.random(b)
	case info.rsaBits > 0:
		k, err := rsa.GenerateKey(rand.Reader, info.rsaBits)
		if err != nil {
			return nil, err
		}
		return x509.MarshalPKCS8PrivateKey(k)
	case spec == "ECC_SECG_P256K1":
		for {
			b := make([]byte, 32)
			if err := s.random(b); err != nil {
				return nil, err
			}
			var sc secp256k1.ModNScalar
			if overflow := sc.SetByteSlice(b); !overflow && !sc.IsZero() {
				return b, nil
			}
		}
	default:
		curve := nistCurve(spec)
		size := (curve.Params().BitSize + 7) / 8
		for {
			b := make([]byte, size)
			if err := s.random(b); err != nil {
				return nil, err
			}
			if spec == "ECC_NIST_P521" {
				b[0] &= 0x01 // 521 bits
			}
			k, err := ecdsa.ParseRawPrivateKey(curve, b)
			if err != nil {
				continue // zero or not below the order: draw again
			}
			return x509.MarshalPKCS8PrivateKey(k)
		}
	}
}

func nistCurve(spec string) elliptic.Curve {
	switch spec {
	case "ECC_NIST_P384":
		return elliptic.P384()
	case "ECC_NIST_P521":
		return elliptic.P521()
	default:
		return elliptic.P256()
	}
}

// parseMaterial builds the usable form of raw material for spec.
func parseMaterial(spec string, raw []byte) (*material, error) {
	info := specs[spec]
	m := &material{}
	switch {
	case spec == specSymmetric:
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, err
		}
		if m.aead, err = cipher.NewGCM(block); err != nil {
			return nil, err
		}
		nk := sha256.Sum256(append([]byte("seclab kms gcm nonce key\x00"), raw...))
		m.nonceKey = nk[:]
		return m, nil
	case info.macBytes > 0:
		m.mac = raw
		return m, nil
	case spec == "ECC_SECG_P256K1":
		m.k1 = secp256k1.PrivKeyFromBytes(raw)
		m.spki = marshalK1PublicKey(m.k1.PubKey())
		return m, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(raw)
	if err != nil {
		return nil, err
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		m.rsa = k
		m.spki, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
	case *ecdsa.PrivateKey:
		m.ec = k
		m.spki, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
	default:
		err = fmt.Errorf("unexpected private key type %T", k)
	}
	return m, err
}

func sealLabel(keyID string, version int) []byte {
	return []byte("kms/" + keyID + "/" + strconv.Itoa(version))
}

// material returns the unsealed material of key version v, from the cache
// when it was unsealed before.
func (s *Service) material(k *keyRecord, v int) (*material, error) {
	if v < 0 || v >= len(k.Versions) {
		return nil, fmt.Errorf("key %s has no version %d", k.ID, v)
	}
	id := k.ID + "/" + strconv.Itoa(v)
	s.cache.mu.RLock()
	m := s.cache.mats[id]
	s.cache.mu.RUnlock()
	if m != nil {
		return m, nil
	}
	raw, err := s.env.Sealer.Open(k.Versions[v].Sealed, sealLabel(k.ID, v))
	if err != nil {
		return nil, errInternal("unseal key material", err)
	}
	if m, err = parseMaterial(k.Spec, raw); err != nil {
		return nil, errInternal("parse key material", err)
	}
	s.cache.mu.Lock()
	s.cache.mats[id] = m
	s.cache.mu.Unlock()
	return m, nil
}

// newVersion generates and seals material for version index v of key id.
func (s *Service) newVersion(id, spec string, v int) (keyVersion, error) {
	raw, err := s.newMaterial(spec)
	if err != nil {
		return keyVersion{}, errInternal("generate key material", err)
	}
	sealed, err := s.env.Sealer.Seal(raw, sealLabel(id, v))
	if err != nil {
		return keyVersion{}, errInternal("seal key material", err)
	}
	mid := make([]byte, 32)
	if err := s.random(mid); err != nil {
		return keyVersion{}, errInternal("material id", err)
	}
	return keyVersion{MaterialID: hex.EncodeToString(mid), Sealed: sealed}, nil
}
