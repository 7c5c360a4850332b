//! The programme's evaluation, recorded step by step: criteria sheets as loaded (each version kept),
//! rounds with their council, dossiers with their documents and dated steps, members' scores, and
//! the certificate each decision issued. Commune officers are accounts with a commune.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Commune,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Producers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    DossierId,
}

#[derive(DeriveIden)]
enum EvaluationSheets {
    Table,
    Id,
    Code,
    Version,
    TitleVi,
    TitleEn,
    GroupCode,
    Sample,
    Body,
    LoadedBy,
    LoadedAt,
}

#[derive(DeriveIden)]
enum EvaluationRounds {
    Table,
    Id,
    Label,
    Year,
    Deadline,
    SheetId,
    Status,
    DecisionNumber,
    DecidedOn,
    MinistryDecisionNumber,
    MinistryDecidedOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoundMembers {
    Table,
    RoundId,
    UserId,
    Secretary,
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
    RoundId,
    ProductId,
    ProducerId,
    Kind,
    Status,
    Form,
    SamplesReceivedOn,
    SamplesNote,
    Result,
    ScoreCenti,
    Stars,
    Outcome,
    CertificateId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DossierDocuments {
    Table,
    Id,
    DossierId,
    Kind,
    FileName,
    MediaKey,
    ContentType,
    Bytes,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum DossierEvents {
    Table,
    Id,
    DossierId,
    Step,
    FromStatus,
    ToStatus,
    ActorId,
    ActorName,
    Reason,
    At,
}

#[derive(DeriveIden)]
enum CouncilScores {
    Table,
    Id,
    DossierId,
    MemberId,
    Choices,
    Notes,
    SubmittedAt,
    UpdatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(if cascade { ForeignKeyAction::Cascade } else { ForeignKeyAction::Restrict })
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Users::Table).add_column(ColumnDef::new(Users::Commune).string_len(120)).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EvaluationSheets::Table)
                .col(ColumnDef::new(EvaluationSheets::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(EvaluationSheets::Code).string_len(40).not_null())
                .col(ColumnDef::new(EvaluationSheets::Version).string_len(40).not_null())
                .col(ColumnDef::new(EvaluationSheets::TitleVi).text().not_null())
                .col(ColumnDef::new(EvaluationSheets::TitleEn).text().not_null())
                .col(ColumnDef::new(EvaluationSheets::GroupCode).string_len(16).not_null())
                .col(ColumnDef::new(EvaluationSheets::Sample).boolean().not_null())
                .col(ColumnDef::new(EvaluationSheets::Body).text().not_null())
                .col(ColumnDef::new(EvaluationSheets::LoadedBy).big_integer())
                .col(ColumnDef::new(EvaluationSheets::LoadedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_sheets_code_version")
                .table(EvaluationSheets::Table)
                .col(EvaluationSheets::Code)
                .col(EvaluationSheets::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EvaluationRounds::Table)
                .col(ColumnDef::new(EvaluationRounds::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(EvaluationRounds::Label).string_len(200).not_null())
                .col(ColumnDef::new(EvaluationRounds::Year).integer().not_null())
                .col(ColumnDef::new(EvaluationRounds::Deadline).date().not_null())
                .col(ColumnDef::new(EvaluationRounds::SheetId).big_integer().not_null())
                .col(ColumnDef::new(EvaluationRounds::Status).string_len(16).not_null())
                .col(ColumnDef::new(EvaluationRounds::DecisionNumber).string_len(64))
                .col(ColumnDef::new(EvaluationRounds::DecidedOn).date())
                .col(ColumnDef::new(EvaluationRounds::MinistryDecisionNumber).string_len(64))
                .col(ColumnDef::new(EvaluationRounds::MinistryDecidedOn).date())
                .col(ColumnDef::new(EvaluationRounds::CreatedBy).big_integer())
                .col(ColumnDef::new(EvaluationRounds::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(
                    (EvaluationRounds::Table, EvaluationRounds::SheetId),
                    (EvaluationSheets::Table, EvaluationSheets::Id),
                    false,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoundMembers::Table)
                .col(ColumnDef::new(RoundMembers::RoundId).big_integer().not_null())
                .col(ColumnDef::new(RoundMembers::UserId).big_integer().not_null())
                .col(ColumnDef::new(RoundMembers::Secretary).boolean().not_null())
                .primary_key(Index::create().col(RoundMembers::RoundId).col(RoundMembers::UserId))
                .foreign_key(&mut fk(
                    (RoundMembers::Table, RoundMembers::RoundId),
                    (EvaluationRounds::Table, EvaluationRounds::Id),
                    true,
                ))
                .foreign_key(&mut fk((RoundMembers::Table, RoundMembers::UserId), (Users::Table, Users::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Dossiers::Table)
                .col(ColumnDef::new(Dossiers::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Dossiers::RoundId).big_integer().not_null())
                .col(ColumnDef::new(Dossiers::ProductId).big_integer().not_null())
                .col(ColumnDef::new(Dossiers::ProducerId).big_integer().not_null())
                .col(ColumnDef::new(Dossiers::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Dossiers::Status).string_len(16).not_null())
                .col(ColumnDef::new(Dossiers::Form).text().not_null())
                .col(ColumnDef::new(Dossiers::SamplesReceivedOn).date())
                .col(ColumnDef::new(Dossiers::SamplesNote).text())
                .col(ColumnDef::new(Dossiers::Result).text())
                .col(ColumnDef::new(Dossiers::ScoreCenti).integer())
                .col(ColumnDef::new(Dossiers::Stars).integer())
                .col(ColumnDef::new(Dossiers::Outcome).string_len(16))
                .col(ColumnDef::new(Dossiers::CertificateId).big_integer())
                .col(ColumnDef::new(Dossiers::CreatedBy).big_integer())
                .col(ColumnDef::new(Dossiers::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Dossiers::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(
                    (Dossiers::Table, Dossiers::RoundId),
                    (EvaluationRounds::Table, EvaluationRounds::Id),
                    false,
                ))
                .foreign_key(&mut fk((Dossiers::Table, Dossiers::ProductId), (Products::Table, Products::Id), false))
                .foreign_key(&mut fk((Dossiers::Table, Dossiers::ProducerId), (Producers::Table, Producers::Id), false))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_dossiers_round", Dossiers::RoundId),
            ("ix_dossiers_producer", Dossiers::ProducerId),
            ("ix_dossiers_product", Dossiers::ProductId),
        ] {
            m.create_index(Index::create().name(name).table(Dossiers::Table).col(col).to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(DossierDocuments::Table)
                .col(ColumnDef::new(DossierDocuments::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(DossierDocuments::DossierId).big_integer().not_null())
                .col(ColumnDef::new(DossierDocuments::Kind).string_len(32).not_null())
                .col(ColumnDef::new(DossierDocuments::FileName).string_len(200).not_null())
                .col(ColumnDef::new(DossierDocuments::MediaKey).string_len(200).not_null())
                .col(ColumnDef::new(DossierDocuments::ContentType).string_len(64).not_null())
                .col(ColumnDef::new(DossierDocuments::Bytes).big_integer().not_null())
                .col(ColumnDef::new(DossierDocuments::UploadedBy).big_integer())
                .col(ColumnDef::new(DossierDocuments::UploadedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(
                    (DossierDocuments::Table, DossierDocuments::DossierId),
                    (Dossiers::Table, Dossiers::Id),
                    true,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_dossier_documents_dossier")
                .table(DossierDocuments::Table)
                .col(DossierDocuments::DossierId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DossierEvents::Table)
                .col(ColumnDef::new(DossierEvents::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(DossierEvents::DossierId).big_integer().not_null())
                .col(ColumnDef::new(DossierEvents::Step).string_len(32).not_null())
                .col(ColumnDef::new(DossierEvents::FromStatus).string_len(16))
                .col(ColumnDef::new(DossierEvents::ToStatus).string_len(16).not_null())
                .col(ColumnDef::new(DossierEvents::ActorId).big_integer())
                .col(ColumnDef::new(DossierEvents::ActorName).string_len(200).not_null())
                .col(ColumnDef::new(DossierEvents::Reason).text())
                .col(ColumnDef::new(DossierEvents::At).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(
                    (DossierEvents::Table, DossierEvents::DossierId),
                    (Dossiers::Table, Dossiers::Id),
                    true,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_dossier_events_dossier")
                .table(DossierEvents::Table)
                .col(DossierEvents::DossierId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CouncilScores::Table)
                .col(ColumnDef::new(CouncilScores::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(CouncilScores::DossierId).big_integer().not_null())
                .col(ColumnDef::new(CouncilScores::MemberId).big_integer().not_null())
                .col(ColumnDef::new(CouncilScores::Choices).text().not_null())
                .col(ColumnDef::new(CouncilScores::Notes).text().not_null())
                .col(ColumnDef::new(CouncilScores::SubmittedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(CouncilScores::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(
                    (CouncilScores::Table, CouncilScores::DossierId),
                    (Dossiers::Table, Dossiers::Id),
                    true,
                ))
                .foreign_key(&mut fk((CouncilScores::Table, CouncilScores::MemberId), (Users::Table, Users::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_council_scores_member")
                .table(CouncilScores::Table)
                .col(CouncilScores::DossierId)
                .col(CouncilScores::MemberId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .add_column(ColumnDef::new(Certificates::DossierId).big_integer())
                .to_owned(),
        )
        .await
    }
}
