package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/zalando/go-keyring"
)

// Secrets are the credentials that must not sit in a plain file when the OS has a keyring: JOS's
// and the warehouse journal database's password.
type Secrets struct {
	AppSecret       string
	AccessToken     string
	JournalPassword string
}

// Backend is where the secrets are kept.
type Backend string

const (
	BackendKeyring Backend = "keyring" // the OS keyring (Secret Service, Keychain, Credential Manager)
	BackendFile    Backend = "file"    // secrets.json (0600) in the settings directory: no keyring service
)

// Keyring is the part of an OS keyring the store uses (github.com/zalando/go-keyring's API).
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// osKeyring is go-keyring's package-level provider (its mock in tests after keyring.MockInit).
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, pw string) error       { return keyring.Set(service, user, pw) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// keyringService is the service name of the station's keyring items.
const keyringService = "station"

// The secrets' names: keyring users (suffixed with the settings directory) and secrets.json keys.
const (
	nameAppSecret       = "app_secret"
	nameAccessToken     = "access_token"
	nameJournalPassword = "journal_password"
)

// keyringUser names one secret of this settings directory in the keyring, so that two settings
// directories (two stations of one OS user, or tests) keep their own secrets.
func (s *Store) keyringUser(name string) string { return name + "@" + s.dir }

// LoadSecrets reads the secrets: from the keyring, or from the fallback file for those the
// keyring does not have (or when there is no keyring). Missing secrets are "" with no error.
func (s *Store) LoadSecrets() (Secrets, Backend, error) {
	file, err := s.readSecretsFile()
	if err != nil {
		return Secrets{}, BackendFile, err
	}
	backend := BackendKeyring
	get := func(name string) string {
		v, err := s.keyring.Get(keyringService, s.keyringUser(name))
		if err == nil {
			return v
		}
		if !errors.Is(err, keyring.ErrNotFound) {
			backend = BackendFile // no usable keyring service
		}
		if v, ok := file[name]; ok {
			backend = BackendFile
			return v
		}
		return ""
	}
	sec := Secrets{AppSecret: get(nameAppSecret), AccessToken: get(nameAccessToken), JournalPassword: get(nameJournalPassword)}
	return sec, backend, nil
}

// SaveSecrets stores the secrets in the OS keyring. When there is no keyring service (a Linux
// desktop without Secret Service, a server) they go to secrets.json, mode 0600, in the settings
// directory instead, and the returned Backend says so. An empty secret is deleted. Errors never
// contain the secrets.
func (s *Store) SaveSecrets(sec Secrets) (Backend, error) {
	values := map[string]string{nameAppSecret: sec.AppSecret, nameAccessToken: sec.AccessToken, nameJournalPassword: sec.JournalPassword}
	inKeyring := true
	for _, name := range []string{nameAppSecret, nameAccessToken, nameJournalPassword} {
		user := s.keyringUser(name)
		var err error
		if values[name] == "" {
			err = s.keyring.Delete(keyringService, user)
			if errors.Is(err, keyring.ErrNotFound) {
				err = nil
			}
		} else {
			err = s.keyring.Set(keyringService, user, values[name])
		}
		if errors.Is(err, keyring.ErrSetDataTooBig) {
			return BackendKeyring, fmt.Errorf("the %s is too long for the keyring: check what was pasted", humanName(name))
		}
		if err != nil {
			inKeyring = false
			break
		}
	}
	if inKeyring {
		// The keyring holds them now: no copy may stay in a file.
		if err := s.writeSecretsFile(nil); err != nil {
			return BackendKeyring, err
		}
		return BackendKeyring, nil
	}
	keep := map[string]string{}
	for k, v := range values {
		if v != "" {
			keep[k] = v
		}
	}
	if err := s.writeSecretsFile(keep); err != nil {
		return BackendFile, err
	}
	return BackendFile, nil
}

func humanName(name string) string {
	switch name {
	case nameAppSecret:
		return "app secret"
	case nameJournalPassword:
		return "journal database password"
	}
	return "access token"
}

// SecretsPath is the fallback file used when the OS has no keyring.
func (s *Store) SecretsPath() string { return filepath.Join(s.dir, secretsFile) }

func (s *Store) readSecretsFile() (map[string]string, error) {
	b, err := os.ReadFile(s.SecretsPath())
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the secrets file: %w", err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		// Not %v of the error: a syntax error may quote the file's bytes.
		return nil, fmt.Errorf("the secrets file %s is damaged: delete it and enter the app secret and access token again", s.SecretsPath())
	}
	return m, nil
}

// writeSecretsFile replaces the fallback file with m; an empty m removes it.
func (s *Store) writeSecretsFile(m map[string]string) error {
	if len(m) == 0 {
		err := os.Remove(s.SecretsPath())
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the old secrets file: %w", err)
		}
		return nil
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the secrets file: %w", err)
	}
	return writeFileAtomic(s.dir, secretsFile, append(b, '\n'))
}

// SplitJournalPassword takes a password out of a postgres:// journal URL: the URL is saved in
// the settings file, the password only in the keyring. A password already given (the form's
// own field) is kept over one in the URL.
func SplitJournalPassword(journalURL, password string) (string, string) {
	if !strings.HasPrefix(journalURL, "postgres://") && !strings.HasPrefix(journalURL, "postgresql://") {
		return journalURL, password
	}
	u, err := url.Parse(journalURL)
	if err != nil || u.User == nil {
		return journalURL, password
	}
	if pw, ok := u.User.Password(); ok {
		if password == "" {
			password = pw
		}
		u.User = url.User(u.User.Username())
	}
	return u.String(), password
}
