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
	// returning, with into, makes the statement return the columns of the
	// one row it writes (RETURNING returning), scanned into into: sql.Null*
	// values on PostgreSQL, which are NULL when it writes none (SQLite
	// leaves them as they are then).
	returning string
	into      []any
	// after, when > 0, makes this statement (PostgreSQL only) read the row
	// that statement after-1 of the same batch returned: its SQL is an
	// INSERT … SELECT whose FROM clause is written {after}, and it runs
	// after that one.
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
// one round trip: each is a data-modifying WITH query (RETURNING 1, or its
// returning columns) whose rows the main query counts. They then share one
// snapshot and, except for a statement that reads another (stmt.after),
// their order is not defined: the statements of a batch must not depend on
// each other's effects otherwise, touch the same row twice, or be able to
// collide on a unique index with each other (a flip of profiles.is_current
// and the insert of the new current profile are two batches). In practice
// PostgreSQL runs them in the order the main query counts them, the order
// given. On SQLite (one process, no round trips) they run one after the
// other, in order.
func (s *Store) execBatch(tx *gorm.DB, stmts ...stmt) ([]int64, error) {
	n := make([]int64, len(stmts))
	for _, st := range stmts {
		for i, a := range st.args {
			if b, ok := a.([]byte); ok {
				st.args[i] = bytesArg(b)
			}
		}
	}
	if s.dialect != Postgres || (len(stmts) == 1 && stmts[0].returning == "") {
		for i, st := range stmts {
			if st.after > 0 {
				return nil, fmt.Errorf("batch statement %d reads another: PostgreSQL only", i)
			}
			if st.returning == "" {
				res := tx.Exec(st.sql, st.args...)
				if res.Error != nil {
					return nil, res.Error
				}
				n[i] = res.RowsAffected
				continue
			}
			rows, err := tx.Raw(st.sql+" RETURNING "+st.returning, st.args...).Rows()
			if err != nil {
				return nil, err
			}
			if rows.Next() {
				n[i] = 1
				err = rows.Scan(st.into...)
			}
			if cerr := rows.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, err
			}
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
		ret := st.returning
		if ret == "" {
			ret = "1"
		}
		fmt.Fprintf(&b, "b%d AS (%s RETURNING %s)", i, q, ret)
		args = append(args, st.args...)
	}
	b.WriteString(" SELECT ")
	var dest []any
	for i, st := range stmts {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(SELECT count(*) FROM b%d)", i)
		dest = append(dest, &n[i])
		if st.returning != "" {
			for j, col := range strings.Split(st.returning, ",") {
				fmt.Fprintf(&b, ", (SELECT %s FROM b%d)", strings.TrimSpace(col), i)
				dest = append(dest, st.into[j])
			}
		}
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
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	return n, rows.Close()
}
