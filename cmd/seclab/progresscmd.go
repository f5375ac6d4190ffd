package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"time"

	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/classroom"
)

// This file holds `seclab progress export|import|verify`: moving progress
// between machines, or handing it in, as a signed bundle.

func init() {
	register(func(g *globals) *cobra.Command {
		c := &cobra.Command{
			Use:   "progress",
			Short: "Export, import or verify a signed bundle of your progress",
		}
		c.AddCommand(progressExportCmd(g), progressImportCmd(g), progressVerifyCmd())
		return c
	})
}

func progressExportCmd(g *globals) *cobra.Command {
	var name, out string
	cmd := &cobra.Command{
		Use:     "export",
		Short:   "Write your progress as a signed bundle",
		Example: "  seclab progress export --name ada -o ada.seclab.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := g.stateDir()
			if err != nil {
				return err
			}
			if name == "" {
				if u, err := user.Current(); err == nil {
					name = u.Username
				}
			}
			b, err := classroom.ExportBundle(dir, name, buildVersion(), time.Now())
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = fmt.Fprintln(cmd.OutOrStdout(), string(b))
				return err
			}
			if err := os.WriteFile(out, append(b, '\n'), 0o600); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "your name in the bundle (default: your user name)")
	cmd.Flags().StringVarP(&out, "output", "o", "-", "write to this file instead of standard output")
	return cmd
}

func readArg(cmd *cobra.Command, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(cmd.InOrStdin())
	}
	return os.ReadFile(path)
}

func progressImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|-",
		Short: "Verify a bundle and make its progress yours (the current progress is kept aside)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := g.stateDir()
			if err != nil {
				return err
			}
			b, err := readArg(cmd, args[0])
			if err != nil {
				return err
			}
			p, err := classroom.ImportBundle(dir, b, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported the progress of %s, exported %s\n", p.Name, p.Created.Local().Format(time.DateTime))
			return nil
		},
	}
}

func progressVerifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "verify FILE|-",
		Short: "Check a bundle's signature and say who signed it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := readArg(cmd, args[0])
			if err != nil {
				return err
			}
			bundle, p, err := classroom.VerifyBundle(b)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "valid: %s, exported %s by seclab %s, signing key %s\n",
				p.Name, p.Created.Local().Format(time.DateTime), p.Version, classroom.KeyFingerprint(bundle.PublicKey))
			return nil
		},
	}
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
