"""Query pieces the ORM does not write itself."""

from django.db.models import Lookup


class AnyOf(Lookup):
    """``AnyOf(F(column), array)``: the column is one of the array's elements (``column = ANY(array)``). Unlike
    ``column = value`` or a join, PostgreSQL neither treats the column as a constant nor hashes the other table:
    ``applications.selectors.public_list`` and ``rules.shared_members`` say why each uses it."""

    lookup_name = "any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
