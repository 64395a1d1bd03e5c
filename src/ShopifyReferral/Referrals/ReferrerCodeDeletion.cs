using System.Data.Common;
using Dapper;

namespace ShopifyReferral.Referrals;

/// <summary>
/// A referrer's code the merchant deleted in Shopify (discounts/delete or redeemcode_removed): code_status deleted,
/// so nothing offers it again and the code sync leaves it alone (it makes pending codes live and keeps live ones in step).
/// </summary>
public static class ReferrerCodeDeletion
{
    public const string Deleted = "deleted";

    public static Task MarkDeletedAsync(DbConnection conn, DbTransaction tx, long referrerId) => conn.ExecuteAsync("""
        UPDATE referrers SET code_status = @deleted, code_due_at = NULL,
            code_error = 'The merchant deleted this code in Shopify; it no longer works at checkout.'
        WHERE id = @referrerId AND code_status <> @deleted
        """, new { referrerId, deleted = Deleted }, tx);
}
