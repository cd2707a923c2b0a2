package models

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// stmt is one data-modifying statement of a batch (execBatch): SQL with ?
// placeholders (INSERT, UPDATE or DELETE, without RETURNING) and its
// arguments.
type stmt struct {
	sql  string
	args []any
	// after, when > 0, makes this statement depend on statement after-1 of
	// the same batch: it writes only when that one affected a row. Its SQL
	// is an INSERT … SELECT whose FROM clause is written {after} (on
	// PostgreSQL it reads that statement's RETURNING rows; on SQLite the
	// statement is skipped instead when that one affected none).
	after int
}

// bytesArg passes a []byte as one value: gorm expands a slice that follows
// "(" in raw SQL into a list, as for IN (?).
type bytesArg []byte

func (b bytesArg) Value() (driver.Value, error) {
	if b == nil {
		return nil, nil
	}
	return []byte(b), nil
}

// execBatch runs data-modifying statements inside tx and returns how many
// rows each one affected. On PostgreSQL they travel as one statement, in
// one round trip: each is a data-modifying WITH query (RETURNING 1) whose
// rows the main query counts. They then share one snapshot and, except for
// a statement that depends on another (stmt.after), their order is not
// defined: the statements of a batch must not depend on each other's
// effects otherwise, touch the same row twice, or be able to collide on a
// unique index with each other (a flip of profiles.is_current and the
// insert of the new current profile are two batches). On SQLite (one
// process, no round trips) they run one after the other, in order.
func (s *Store) execBatch(tx *gorm.DB, stmts ...stmt) ([]int64, error) {
	n := make([]int64, len(stmts))
	for _, st := range stmts {
		for i, a := range st.args {
			if b, ok := a.([]byte); ok {
				st.args[i] = bytesArg(b)
			}
		}
	}
	if s.dialect != Postgres || len(stmts) == 1 {
		for i, st := range stmts {
			if st.after > 0 && n[st.after-1] == 0 {
				continue
			}
			res := tx.Exec(strings.Replace(st.sql, "{after}", "", 1), st.args...)
			if res.Error != nil {
				return nil, res.Error
			}
			n[i] = res.RowsAffected
		}
		return n, nil
	}
	var b strings.Builder
	var args []any
	b.WriteString("WITH ")
	for i, st := range stmts {
		if i > 0 {
			b.WriteString(", ")
		}
		q := st.sql
		if st.after > 0 {
			q = strings.Replace(q, "{after}", fmt.Sprintf("FROM b%d", st.after-1), 1)
		}
		fmt.Fprintf(&b, "b%d AS (%s RETURNING 1)", i, q)
		args = append(args, st.args...)
	}
	b.WriteString(" SELECT ")
	for i := range stmts {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(SELECT count(*) FROM b%d)", i)
	}
	rows, err := tx.Raw(b.String(), args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("batch of %d statements returned no row", len(stmts))
	}
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	return n, rows.Close()
}
