package kms

import (
	"strconv"
	"time"
)

// epoch is a timestamp on the wire: epoch seconds as a JSON number with
// millisecond precision, as KMS sends them (1593622000.191).
type epoch time.Time

// MarshalJSON writes e as epoch seconds.
func (e epoch) MarshalJSON() ([]byte, error) {
	return appendEpoch(nil, time.Time(e)), nil
}

func appendEpoch(dst []byte, t time.Time) []byte {
	return strconv.AppendFloat(dst, float64(t.UnixMilli())/1000, 'f', -1, 64)
}

func epochPtr(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

// keyMetadata is KMS's KeyMetadata structure.
type keyMetadata struct {
	AWSAccountID          string   `json:"AWSAccountId"`
	KeyID                 string   `json:"KeyId"`
	Arn                   string   `json:"Arn"`
	CreationDate          epoch    `json:"CreationDate"`
	Enabled               bool     `json:"Enabled"`
	Description           string   `json:"Description"`
	KeyUsage              string   `json:"KeyUsage"`
	KeyState              string   `json:"KeyState"`
	DeletionDate          *epoch   `json:"DeletionDate,omitempty"`
	Origin                string   `json:"Origin"`
	KeyManager            string   `json:"KeyManager"`
	CustomerMasterKeySpec string   `json:"CustomerMasterKeySpec"`
	KeySpec               string   `json:"KeySpec"`
	EncryptionAlgorithms  []string `json:"EncryptionAlgorithms,omitempty"`
	SigningAlgorithms     []string `json:"SigningAlgorithms,omitempty"`
	MacAlgorithms         []string `json:"MacAlgorithms,omitempty"`
	MultiRegion           bool     `json:"MultiRegion"`
	CurrentKeyMaterialID  string   `json:"CurrentKeyMaterialId,omitempty"`
}

func metadataOf(k *keyRecord) *keyMetadata {
	enc, sign, mac := algorithmsFor(k.Spec, k.Usage)
	m := &keyMetadata{
		AWSAccountID: k.Account, KeyID: k.ID, Arn: k.arn(), CreationDate: epoch(k.Created),
		Enabled: k.State == stateEnabled, Description: k.Description, KeyUsage: k.Usage,
		KeyState: k.State, Origin: k.Origin, KeyManager: k.Manager,
		CustomerMasterKeySpec: k.Spec, KeySpec: k.Spec,
		EncryptionAlgorithms: enc, SigningAlgorithms: sign, MacAlgorithms: mac,
	}
	if k.State == statePendingDeletion {
		m.DeletionDate = epochPtr(k.DeletionDate)
	}
	if k.Spec == specSymmetric && len(k.Versions) > 0 {
		m.CurrentKeyMaterialID = k.Versions[len(k.Versions)-1].MaterialID
	}
	return m
}

// keyListEntry is one entry of ListKeys.
type keyListEntry struct {
	KeyID  string `json:"KeyId"`
	KeyArn string `json:"KeyArn"`
}
