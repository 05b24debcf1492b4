package products

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Store is the product table on disk: a SQLite file beside the journal (products.db), so that
// a station keeps its products with its records and a new journal folder starts empty.
type Store struct {
	db   *sql.DB
	path string
}

// PathBeside is the product table kept beside the journal at journalPath.
func PathBeside(journalPath string) string {
	return filepath.Join(filepath.Dir(journalPath), "products.db")
}

const schema = `
CREATE TABLE IF NOT EXISTS products (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE, -- sku:ID or outer:CODE
	sku_id     TEXT NOT NULL DEFAULT '',
	outer_id   TEXT NOT NULL DEFAULT '',
	name       TEXT NOT NULL,
	weight_g   INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS codes (
	code       TEXT PRIMARY KEY, -- one code names one product
	product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
	barcode    INTEGER NOT NULL DEFAULT 1 -- 0: the merchant code, scannable too
);
CREATE INDEX IF NOT EXISTS codes_product ON codes (product_id);
`

// Open opens (creating if needed) the product table at path.
func Open(ctx context.Context, path string) (*Store, error) {
	if strings.ContainsAny(path, "?#") || strings.TrimSpace(path) == "" {
		return nil, fmt.Errorf("product table %q: choose a plain file path", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("product table: creating its folder: %w", err)
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("product table %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("product table %s: cannot open it as a database: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Close closes the table.
func (s *Store) Close() error { return s.db.Close() }

// Where is the table's file.
func (s *Store) Where() string { return s.path }

// Imported is what an import changed.
type Imported struct {
	Added, Updated int
}

// ErrBadRows: the sheet has rows that cannot be imported (Sheet.Bad lists them); nothing was
// written.
var ErrBadRows = errors.New("some rows cannot be imported")

// Import writes the sheet's products, all or none: a product already in the table (same sku
// id, else same merchant code) takes the sheet's name, weight and codes. A code the table has
// for a product the sheet does not list is a conflict: its row joins sheet.Bad and nothing is
// written.
func (s *Store) Import(ctx context.Context, sheet *Sheet) (Imported, error) {
	var res Imported
	if len(sheet.Bad) > 0 {
		return res, ErrBadRows
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("product table: %w", err)
	}
	defer tx.Rollback()
	now := time.Now().UnixMilli()
	ids := make([]int64, len(sheet.Rows))
	for i, r := range sheet.Rows {
		p := r.Product
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM products WHERE key = ?`, p.Key()).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, `INSERT INTO products (key, sku_id, outer_id, name, weight_g, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, p.Key(), p.SkuID, p.OuterID, p.Name, p.WeightG, now).Scan(&id)
			res.Added++
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE products SET sku_id = ?, outer_id = ?, name = ?, weight_g = ?, updated_at = ? WHERE id = ?`,
				p.SkuID, p.OuterID, p.Name, p.WeightG, now, id)
			res.Updated++
		}
		if err != nil {
			return Imported{}, fmt.Errorf("product table: line %d: %w", r.Line, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM codes WHERE product_id = ?`, id); err != nil {
			return Imported{}, fmt.Errorf("product table: %w", err)
		}
		ids[i] = id
	}
	for i, r := range sheet.Rows {
		for _, code := range r.Product.Codes() {
			var owner string
			err := tx.QueryRowContext(ctx, `SELECT p.name FROM codes c JOIN products p ON p.id = c.product_id WHERE c.code = ?`, code).Scan(&owner)
			if err == nil {
				sheet.Bad = append(sheet.Bad, RowError{Line: r.Line, Problem: fmt.Sprintf("code %s is %s's in the product table already", code, owner)})
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return Imported{}, fmt.Errorf("product table: %w", err)
			}
			barcode := 1
			if code == NormalizeCode(r.Product.OuterID) && !slices.Contains(r.Product.Barcodes, code) {
				barcode = 0
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO codes (code, product_id, barcode) VALUES (?, ?, ?)`, code, ids[i], barcode); err != nil {
				return Imported{}, fmt.Errorf("product table: line %d: %w", r.Line, err)
			}
		}
	}
	if len(sheet.Bad) > 0 {
		return Imported{}, ErrBadRows
	}
	if err := tx.Commit(); err != nil {
		return Imported{}, fmt.Errorf("product table: committing: %w", err)
	}
	return res, nil
}

// List is every product, by name.
func (s *Store) List(ctx context.Context) ([]Product, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.sku_id, p.outer_id, p.name, p.weight_g, COALESCE(c.code, ''), COALESCE(c.barcode, 0)
		FROM products p LEFT JOIN codes c ON c.product_id = p.id ORDER BY p.name, p.id, c.rowid`)
	if err != nil {
		return nil, fmt.Errorf("product table: %w", err)
	}
	defer rows.Close()
	var out []Product
	last := int64(-1)
	for rows.Next() {
		var id int64
		var p Product
		var code string
		var barcode bool
		if err := rows.Scan(&id, &p.SkuID, &p.OuterID, &p.Name, &p.WeightG, &code, &barcode); err != nil {
			return nil, fmt.Errorf("product table: %w", err)
		}
		if id != last {
			p.Barcodes = []string{}
			out, last = append(out, p), id
		}
		if code != "" && barcode {
			q := &out[len(out)-1]
			q.Barcodes = append(q.Barcodes, code)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("product table: %w", err)
	}
	return out, nil
}

// Catalog is the table in memory, for lookups.
func (s *Store) Catalog(ctx context.Context) (*Catalog, error) {
	ps, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	return NewCatalog(ps), nil
}
